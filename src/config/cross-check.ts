// Checks that span fields: ids that must be unique, channels that must not be shared.
// Runs even when other fields failed (so every problem shows at once), hence it reads the
// data defensively instead of trusting the inferred type.
import type { z } from 'zod';
import { formatPath, type IssueParams } from './format.js';

type Path = PropertyKey[];
const omitFound: IssueParams = { omitFound: true };

export function crossCheck(config: unknown, ctx: z.RefinementCtx): void {
  const report = (path: Path, message: string) =>
    ctx.addIssue({ code: 'custom', path, message, params: omitFound });
  const tenants = isRecord(config) && Array.isArray(config.tenants) ? config.tenants : [];

  const tenantIds = firstSeen<number>();
  const channels = firstSeen<string>(); // channel id → "tenants[0].channels.ops (nimbus)"
  tenants.forEach((tenant: unknown, t) => {
    if (!isRecord(tenant)) return;
    const at = (...rest: Path): Path => ['tenants', t, ...rest];
    const id = typeof tenant.id === 'string' ? tenant.id : undefined;

    const firstTenant = id === undefined ? undefined : tenantIds.seen(id, t);
    if (firstTenant !== undefined)
      report(at('id'), `duplicate tenant id "${id}": tenants[${firstTenant}] already uses it`);

    for (const [path, channel] of channelEntries(tenant.channels)) {
      const here = `${formatPath(at('channels', ...path))}${id ? ` (${id})` : ''}`;
      const first = channels.seen(channel, here);
      if (first !== undefined) {
        report(
          at('channels', ...path),
          `channel ${channel} is already used by ${first}; each channel has one tenant and one role`,
        );
      }
    }

    const clusterIds = firstSeen<number>();
    (Array.isArray(tenant.clusters) ? tenant.clusters : []).forEach((cluster: unknown, c) => {
      if (!isRecord(cluster) || typeof cluster.id !== 'string') return;
      const first = clusterIds.seen(cluster.id, c);
      if (first !== undefined) {
        report(
          at('clusters', c, 'id'),
          `duplicate cluster id "${cluster.id}": clusters[${first}] of this tenant already uses it`,
        );
      }
    });

    // A secondary equal to the primary silently removes the fallback when the primary sleeps.
    const contacts = isRecord(tenant.contacts) ? tenant.contacts : {};
    if (contacts.secondary !== undefined && contacts.secondary === contacts.primary) {
      report(
        at('contacts', 'secondary'),
        'expected someone other than the primary contact, found the same user',
      );
    }
  });

  // A tenant layer for a tenant that does not exist would silently never answer.
  const teams =
    isRecord(config) && isRecord(config.oncall) && Array.isArray(config.oncall.teams)
      ? config.oncall.teams
      : [];
  // A tenant pointing at a schedule that does not exist would silently page its contacts.
  const teamIds = teams.flatMap((team: unknown) =>
    isRecord(team) && typeof team.id === 'string' ? [team.id] : [],
  );
  if (teams.length > 0) {
    tenants.forEach((tenant: unknown, i) => {
      const scheduleId = isRecord(tenant) && isRecord(tenant.oncall) ? tenant.oncall.scheduleId : undefined;
      if (typeof scheduleId === 'string' && !teamIds.includes(scheduleId))
        report(
          ['tenants', i, 'oncall', 'scheduleId'],
          `unknown schedule "${scheduleId}"; oncall.teams are ${teamIds.join(', ')}`,
        );
    });
  }
  teams.forEach((team: unknown, t) => {
    if (!isRecord(team) || !Array.isArray(team.tenantLayers)) return;
    team.tenantLayers.forEach((layer: unknown, i) => {
      if (!isRecord(layer) || typeof layer.tenant !== 'string' || tenantIds.has(layer.tenant)) return;
      report(
        ['oncall', 'teams', t, 'tenantLayers', i, 'tenant'],
        `unknown tenant "${layer.tenant}"; tenants are ${tenantIds.keys().join(', ')}`,
      );
    });
  });
}

/** Remembers the first occurrence of each key; `seen` returns the earlier one for a repeat. */
function firstSeen<T>() {
  const first = new Map<string, T>();
  return {
    has: (key: string) => first.has(key),
    keys: () => [...first.keys()],
    seen(key: string, where: T): T | undefined {
      if (first.has(key)) return first.get(key);
      first.set(key, where);
      return undefined;
    },
  };
}

function channelEntries(channels: unknown): Array<[Path, string]> {
  if (!isRecord(channels)) return [];
  const entries: Array<[Path, unknown]> = [
    ...(Array.isArray(channels.alarms) ? channels.alarms : []).map((id: unknown, i): [Path, unknown] => [
      ['alarms', i],
      id,
    ]),
    [['customer'], channels.customer],
    [['ops'], channels.ops],
  ];
  return entries.filter((entry): entry is [Path, string] => typeof entry[1] === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

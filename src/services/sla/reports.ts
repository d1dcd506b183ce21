// The monthly SLA report of a tenant, recomputed from the stored timelines every time it is asked
// for (nothing about a clock is trusted from a cache), with the reminders actually sent as
// evidence; and the weekly digest's SLA section. The arithmetic is src/domain/sla/report.ts.
import { DateTime } from 'luxon';
import { bold, type Message, msg } from '../../domain/message.js';
import {
  monthBounds,
  nearestRank,
  type ReportClock,
  type SlaReport,
  slaReport,
} from '../../domain/sla/report.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { SlaStore } from '../../store/sla-store.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { SlaClocks } from './clocks.js';
import { minutes } from './messages.js';

/** How far back an incident that is still open at the month's start may have opened. */
const IMPACT_LOOKBACK_MS = 92 * 86_400_000;

export class SlaReports {
  constructor(
    private readonly deps: {
      clocks: SlaClocks;
      store: SlaStore;
      incidents: IncidentStore;
      tenants: TenantDirectory;
    },
  ) {}

  /** The month's report ("YYYY-MM" in the customer's zone), as of `now`. */
  monthly(tenantId: string, month: string, now: number): SlaReport | undefined {
    const tenant = this.deps.tenants.tenant(tenantId);
    const policy = this.deps.clocks.policyOf(tenantId);
    if (!tenant || !policy) return undefined;
    const zone = tenant.timezone;
    const { from, to } = monthBounds(month, zone);
    return slaReport(policy, {
      tenant: tenant.id,
      month,
      zone,
      now,
      clocks: this.clocksBetween(tenantId, from, to, now),
      // Customer impact: a Sev1 incident, from its opening to its resolution (open ones until now).
      impacts: this.deps.incidents
        .openedBetween(tenantId, from - IMPACT_LOOKBACK_MS, to)
        .filter((i) => i.severity === 1)
        .map((i) => ({
          from: i.openedAt,
          ...(i.resolvedAt !== null ? { to: i.resolvedAt } : {}),
          incidentId: String(i.id),
        })),
    });
  }

  /** Every clock whose incident's first clock started in [from, to), recomputed at `now`. */
  clocksBetween(tenantId: string, from: number, to: number, now: number): ReportClock[] {
    return this.deps.store.clocksStartedBetween(tenantId, from, to).flatMap((row) => {
      const incident = this.deps.incidents.get(row.incidentId);
      const state = incident && this.deps.clocks.state(incident, now);
      if (!incident || !state) return [];
      const firstAlarmAt = this.deps.clocks.firstAlarmAt(incident) ?? undefined;
      const remindersSent = this.deps.store
        .notices(incident.id)
        .filter((n) => n.kind === 'reminder')
        .map((n) => ({ key: n.key, at: n.sentAt }));
      return [{ state, remindersSent, ...(firstAlarmAt !== undefined ? { firstAlarmAt } : {}) }];
    });
  }

  /** The current month of the tenant ("YYYY-MM" in its zone). */
  currentMonth(tenantId: string, now: number): string {
    const zone = this.deps.tenants.tenant(tenantId)?.timezone ?? 'UTC';
    return DateTime.fromMillis(now, { zone }).toFormat('yyyy-MM');
  }

  /** The weekly digest's SLA part: responses and breaches of clocks that started in [from, to). */
  weekly(tenantId: string, from: number, to: number, now: number): Message | undefined {
    if (!this.deps.clocks.policyOf(tenantId)) return undefined;
    const clocks = this.clocksBetween(tenantId, from, to, now);
    if (clocks.length === 0) return undefined;
    const lines = ([1, 2, 3, 4] as const).flatMap((severity) => {
      const mine = clocks.filter((c) => c.state.severity === severity);
      if (mine.length === 0) return [];
      const times = mine
        .filter((c) => c.state.respondedAt !== undefined)
        .map((c) => c.state.elapsedBusinessMs)
        .sort((a, b) => a - b);
      const breaches = mine.filter((c) => c.state.breached).length;
      const median = nearestRank(times, 50);
      return [
        `\n• Sev${severity}: ${mine.length} clock(s), ${times.length} answered` +
          (median !== undefined
            ? `, median ${minutes(median)}, slowest ${minutes(times.at(-1) as number)}`
            : '') +
          `; ${breaches} breach${breaches === 1 ? '' : 'es'}`,
      ];
    });
    return msg(bold('Response times (SLA)'), ...lines);
  }
}

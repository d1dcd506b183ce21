// /opsbot incidents | incident | silence | silences | unsilence — all staff-only.
import { formatMatchers } from '../../../domain/alarms/matchers.js';
import { parseSilenceCommand } from '../../../domain/alarms/silences.js';
import type { Clock } from '../../../domain/clock.js';
import { formatDuration } from '../../../domain/clock.js';
import type { TenantDirectory } from '../../../services/tenant-directory.js';
import type { CardViewBuilder } from '../../../services/triage/card-view.js';
import type { IncidentActions } from '../../../services/triage/incident-actions.js';
import type { IncidentStore } from '../../../store/incident-store.js';
import type { SilenceStore } from '../../../store/silence-store.js';
import { renderIncidentDetail, renderIncidentList } from '../../views/incident-text.js';
import { code, escapeMrkdwn, mention, truncate, truncateMrkdwn } from '../../views/mrkdwn.js';
import type { CommandInvocation, CommandReply, Subcommand } from './router.js';

export interface TriageCommandDeps {
  incidents: IncidentStore;
  silences: SilenceStore;
  actions: IncidentActions;
  views: CardViewBuilder;
  tenants: TenantDirectory;
  clock: Clock;
}

/** `INC-42`, `inc-42` or `42`. */
export function parseIncidentRef(text: string | undefined): number | undefined {
  const match = /^(?:inc-)?(\d{1,9})$/i.exec(text?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Keeps `/opsbot silences` well inside Slack's message limits. */
const SILENCES_PER_PAGE = 20;

export function triageCommands(deps: TriageCommandDeps): Subcommand[] {
  const { incidents, silences, tenants, clock } = deps;
  const tenantOf = (inv: CommandInvocation) => tenants.channel(inv.channelId)?.tenant;

  return [
    {
      name: 'incidents',
      usage: 'incidents [tenant]',
      summary: 'open incidents, most severe first (staff)',
      staffOnly: true,
      run: (inv): CommandReply => {
        const asked = inv.args[0];
        if (asked && !tenants.tenant(asked)) {
          const known = tenants
            .all()
            .map((t) => t.id)
            .join(', ');
          return {
            text: `I don't know the tenant \`${asked.slice(0, 40)}\`. Known tenants: ${known}. Example: \`/opsbot incidents ${tenants.all()[0]?.id ?? 'nimbus'}\``,
          };
        }
        const here = tenantOf(inv);
        // In a tenant's channels commands are scoped to that tenant; other tenants only from
        // internal channels or DMs (a customer may be reading a shared channel).
        if (asked && here && asked !== here.id)
          return {
            text: `This channel belongs to ${here.name}: I only show its incidents here. Ask for \`${asked.slice(0, 40)}\` from an internal channel or a DM. Example: \`/opsbot incidents\``,
          };
        const tenantId = asked ?? here?.id;
        const now = clock.now();
        const list = incidents.listOpen(tenantId).map((i) => deps.views.build(i, now));
        return renderIncidentList(list, {
          tenantName: tenantId ? tenants.tenant(tenantId)?.name : undefined,
          now,
        });
      },
    },
    {
      name: 'incident',
      usage: 'incident <INC-id>',
      summary: 'one incident with its timeline (staff)',
      staffOnly: true,
      run: (inv): CommandReply => {
        const id = parseIncidentRef(inv.args[0]);
        const found = id === undefined ? undefined : incidents.get(id);
        // Another tenant's incident is "not there" in this tenant's channels.
        const here = tenantOf(inv);
        const incident = found && (!here || found.tenantId === here.id) ? found : undefined;
        if (!incident) {
          const what = inv.args[0]
            ? `There is no incident \`${inv.args[0].slice(0, 20)}\`.`
            : 'Which incident?';
          return {
            text: `${what} Example: \`/opsbot incident INC-42\` — \`/opsbot incidents\` lists the open ones.`,
          };
        }
        const now = clock.now();
        return renderIncidentDetail(deps.views.build(incident, now), incidents.timeline(incident.id));
      },
    },
    {
      name: 'silence',
      usage: 'silence <matchers…> <duration> [reason]',
      summary:
        'mute matching alarms for a while, e.g. `cluster=sjc-obj-01 category=network 2h planned switch work` (staff)',
      staffOnly: true,
      run: (inv): CommandReply => {
        const now = clock.now();
        const parsed = parseSilenceCommand(inv.args, now);
        if (!parsed.ok) return { text: `${parsed.problem}\nExample: \`/opsbot ${parsed.example}\`` };
        const tenant = tenantOf(inv);
        const silence = deps.actions.createSilence({
          tenantId: tenant?.id ?? null,
          matchers: parsed.matchers,
          durationMs: parsed.durationMs,
          user: inv.userId,
          reason: parsed.reason || 'no reason given',
          now,
        });
        const scope = tenant ? `${tenant.name}'s alarms` : 'alarms of every tenant';
        return {
          text: `Silence ${silence.id} mutes ${escapeMrkdwn(scope)} matching ${code(formatMatchers(silence.matchers))} for ${formatDuration(parsed.durationMs)}. Muted alarms are still recorded and counted on their cards. End it early with \`/opsbot unsilence ${silence.id}\`.`,
        };
      },
    },
    {
      name: 'silences',
      usage: 'silences [page]',
      summary: 'active silences, a page at a time (staff)',
      staffOnly: true,
      run: (inv): CommandReply => {
        const now = clock.now();
        const active = silences.activeFor(tenantOf(inv)?.id, now);
        if (active.length === 0) return { text: 'No active silences.' };
        const pages = Math.ceil(active.length / SILENCES_PER_PAGE);
        const page = inv.args[0] === undefined ? 1 : Number(inv.args[0]);
        if (!Number.isInteger(page) || page < 1 || page > pages)
          return {
            text: `There ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} of silences. Example: \`/opsbot silences 2\``,
          };
        const shown = active.slice((page - 1) * SILENCES_PER_PAGE, page * SILENCES_PER_PAGE);
        // What people typed (matchers, reasons) is escaped and bounded: it goes back into mrkdwn.
        const lines = shown.map((s) =>
          truncateMrkdwn(
            `• *${s.id}* ${code(formatMatchers(s.matchers))} — ${escapeMrkdwn(s.tenantId ?? 'all tenants')}, ends in ${formatDuration(s.endsAt - now)}, by ${mention(s.createdBy)}: ${escapeMrkdwn(truncate(s.reason, 200))} (${s.hits} alarm(s) muted)`,
            600,
          ),
        );
        const rest = active.length - page * SILENCES_PER_PAGE;
        const more = rest > 0 ? [`… and ${rest} more — \`/opsbot silences ${page + 1}\``] : [];
        return { text: [`*Active silences (${active.length})*`, ...lines, ...more].join('\n') };
      },
    },
    {
      name: 'unsilence',
      usage: 'unsilence <silence-id>',
      summary: 'end a silence now (staff)',
      staffOnly: true,
      run: (inv): CommandReply => {
        const raw = inv.args[0] ?? '';
        // People type s-1a2b3c, S-1a2b3c or just 1a2b3c.
        const silence = raw ? silences.get(`S-${raw.replace(/^s-/i, '').toLowerCase()}`) : undefined;
        if (!silence) {
          return {
            text: `There is no silence \`${(inv.args[0] ?? '').slice(0, 20)}\`. Example: \`/opsbot unsilence S-1a2b3c\` — \`/opsbot silences\` lists them.`,
          };
        }
        if (!silences.expire(silence.id, inv.userId, clock.now()))
          return { text: `Silence ${silence.id} had already ended.` };
        return { text: `Silence ${silence.id} ended. Matching alarms page again.` };
      },
    },
  ];
}

// What a shift handoff and the weekend handoff say. Composed from the schedule (who hands over
// to whom), the store (open incidents, notes, plans), the job table (stuck work) and the
// sections other capabilities add (running response clocks, ...). Pure composition over
// read-only deps: it posts nothing, so `/handoff` can preview exactly what will be posted.
import { formatDuration } from '../../domain/clock.js';
import { bold, code, emoji, join, type Message, mention, msg } from '../../domain/message.js';
import {
  formatLocal,
  formatRange,
  type Handoff,
  type Level,
  type LoadReport,
} from '../../domain/oncall/index.js';
import type { Sections } from '../../services/sections.js';
import type { Incident, IncidentStore } from '../../store/incident-store.js';
import type { JobStore } from '../../store/job-store.js';
import type { LinkStore } from '../../store/link-store.js';
import type { HandoffNote } from '../../store/oncall-store.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { ScheduleService } from './schedule.js';

/** What a handoff section is asked about: the team handing over, at the boundary instant. */
export interface HandoffContext {
  team: string;
  /** Tenants this team covers. */
  tenantIds: string[];
  /** The boundary instant. */
  at: number;
  /** The weekend handoff carries the week's summary. */
  weekend: boolean;
}

export interface HandoffMessageDeps {
  schedule: ScheduleService;
  incidents: IncidentStore;
  links: LinkStore;
  jobs: JobStore;
  tenants: TenantDirectory;
  sections: Sections<HandoffContext>;
}

const WEEK_MS = 7 * 86_400_000;
/** A pending job this overdue is stuck (the scheduler runs due jobs within seconds). */
const STUCK_MS = 5 * 60_000;

const levelName = (level: Level) => (level === 'primary' ? 'Primary' : 'Secondary');
const who = (userId: string | undefined): Message => (userId ? msg(mention(userId)) : msg('nobody'));

export class HandoffMessages {
  constructor(private readonly deps: HandoffMessageDeps) {}

  /** A shift handoff: outgoing → incoming per level, then what is burning. */
  shift(h: Handoff, opts: { now: number; lateByMs: number; notes: HandoffNote[] }): Message {
    const team = this.deps.schedule.team(h.team);
    const zone = this.zoneOf(h);
    const header = msg(
      emoji('arrows_counterclockwise'),
      ' ',
      bold(`Shift handoff — ${team?.name ?? h.team}`),
      ` at ${formatLocal(h.at, 'UTC')} UTC`,
      zone ? ` (${formatLocal(h.at, zone).slice(11)} ${zone})` : '',
      opts.lateByMs > 0
        ? msg(' ', emoji('warning'), ` late: posted ${formatDuration(opts.lateByMs)} after the boundary`)
        : '',
    );
    const changes = h.changes.map((c) =>
      msg(
        `• ${levelName(c.level)}: `,
        who(c.from),
        ' → ',
        who(c.to),
        c.fromRegion !== c.toRegion && (c.fromRegion || c.toRegion)
          ? ` (${c.fromRegion ?? '—'} → ${c.toRegion ?? '—'})`
          : '',
      ),
    );
    return this.assemble(
      [
        header,
        join(changes, '\n'),
        ...this.burning(h.team, opts.now),
        this.notes('Notes from the outgoing shift', opts.notes),
      ],
      { team: h.team, tenantIds: this.deps.schedule.tenantsOf(h.team), at: h.at, weekend: h.weekend },
    );
  }

  /** The Friday passage: the week's summary, the weekend roster, the escalation path and the load. */
  weekend(
    teamId: string,
    opts: { at: number; now: number; lateByMs: number; plans: HandoffNote[]; load: Message | undefined },
  ): Message {
    const { schedule, incidents } = this.deps;
    const team = schedule.team(teamId);
    const tenantIds = schedule.tenantsOf(teamId);
    const header = msg(
      emoji('calendar'),
      ' ',
      bold(`Weekend handoff — ${team?.name ?? teamId}`),
      opts.lateByMs > 0 ? msg(' ', emoji('warning'), ` late by ${formatDuration(opts.lateByMs)}`) : '',
    );
    const open = tenantIds
      .flatMap((t) => incidents.listOpen(t))
      .filter((i) => i.severity <= 2)
      .sort(bySeverityThenAge);
    const sev12 = open.length
      ? msg(
          bold('Open Sev1/Sev2'),
          '\n',
          join(
            open.map((i) => this.incidentLine(i, opts.now)),
            '\n',
          ),
        )
      : msg(bold('Open Sev1/Sev2'), '\nnone');
    const atRisk = tenantIds.flatMap((tenantId) => {
      const recent = incidents.openedBetween(tenantId, opts.at - WEEK_MS, opts.at);
      if (recent.length === 0) return [];
      const sev1 = recent.filter((i) => i.severity === 1).length;
      const name = this.deps.tenants.tenant(tenantId)?.name ?? tenantId;
      return [msg(`• ${name}: ${recent.length} incident(s) this week${sev1 ? `, ${sev1} Sev1` : ''}`)];
    });
    const planned = [...schedule.config.handoff.plannedChanges, ...opts.plans.map((p) => p.text)];
    const roster = this.weekendRoster(teamId, opts.at);
    const parts: Message[] = [
      header,
      sev12,
      msg(bold('Customers at risk'), '\n', atRisk.length ? join(atRisk, '\n') : 'none this week'),
      msg(
        bold('Planned over the weekend'),
        '\n',
        planned.length
          ? join(
              planned.map((p) => msg(`• ${p}`)),
              '\n',
            )
          : 'nothing planned',
      ),
      roster.message,
      this.escalationPath(teamId, roster.startsAt),
      opts.load ?? msg(),
    ];
    return this.assemble(parts, { team: teamId, tenantIds, at: opts.at, weekend: true });
  }

  private assemble(parts: Message[], ctx: HandoffContext): Message {
    const sections = this.deps.sections.render(ctx).map((s) => s.message);
    return join(
      [...parts, ...sections].filter((p) => p.length > 0),
      '\n\n',
    );
  }

  /** Open incidents by severity with age and owner, pending escalations and stuck jobs. */
  private burning(teamId: string, now: number): Message[] {
    const { schedule, incidents, links, jobs } = this.deps;
    const open = schedule
      .tenantsOf(teamId)
      .flatMap((t) => incidents.listOpen(t))
      .sort(bySeverityThenAge);
    const out: Message[] = [
      open.length
        ? msg(
            bold(`Open incidents (${open.length})`),
            '\n',
            join(
              open.map((i) => this.incidentLine(i, now)),
              '\n',
            ),
          )
        : msg(bold('Open incidents'), '\nnone'),
    ];
    const escalated = open.flatMap((i) => {
      const issue = links.get(i.id, 'jira');
      return issue ? [msg(`• ${i.ref} → `, code(issue.ref))] : [];
    });
    if (escalated.length) out.push(msg(bold('Pending escalations'), '\n', join(escalated, '\n')));
    const counts = jobs.countByStatus();
    const stuck = jobs.byStatus(['pending'], 200).filter((j) => j.runAt < now - STUCK_MS).length;
    if (counts.dead > 0 || stuck > 0)
      out.push(
        msg(
          emoji('warning'),
          ' ',
          bold('Stuck work'),
          `: ${counts.dead} dead letter(s), ${stuck} overdue job(s) — see `,
          code('/opsbot outbox'),
        ),
      );
    return out;
  }

  private incidentLine(i: Incident, now: number): Message {
    const owner = i.acknowledgedBy ? msg('owner ', mention(i.acknowledgedBy)) : msg('unowned');
    return msg(`• Sev${i.severity} ${i.ref} ${i.title} — open ${formatDuration(now - i.openedAt)}, `, owner);
  }

  private notes(title: string, notes: HandoffNote[]): Message {
    if (notes.length === 0) return msg();
    return msg(
      bold(title),
      '\n',
      join(
        notes.map((n) => msg('• ', mention(n.author), `: ${n.text}`)),
        '\n',
      ),
    );
  }

  /** Who covers the coming weekend (the weekend layer's shifts after `at`), per level. */
  private weekendRoster(teamId: string, at: number): { message: Message; startsAt: number } {
    const { schedule } = this.deps;
    const team = schedule.team(teamId);
    const zone = team?.weekend?.zone ?? 'UTC';
    const horizon = at + 4 * 86_400_000;
    const all = schedule.shifts(teamId, at, horizon);
    let starts = horizon;
    const lines = schedule.levelsOf(teamId).flatMap((level) =>
      all[level]
        .filter((s) => s.source !== 'gap' && s.layerKind === 'weekend' && s.end > at)
        .map((s) => {
          starts = Math.min(starts, Math.max(s.start, at));
          return msg(
            `• ${levelName(level)}: `,
            who(s.userId),
            ` ${formatRange(s.start, s.end, zone)} ${zone}`,
          );
        }),
    );
    const message = msg(bold('Weekend roster'), '\n', lines.length ? join(lines, '\n') : 'no weekend layer');
    return { message, startsAt: starts };
  }

  private escalationPath(teamId: string, at: number): Message {
    const chain = this.deps.schedule.chain(teamId, at);
    const bridge = this.deps.schedule.config.handoff.bridge;
    return msg(
      bold('Escalation path'),
      '\n',
      chain.length
        ? join(
            chain.map((id) => msg(mention(id))),
            ' → ',
          )
        : 'nobody',
      bridge ? msg('\nPhone bridge: ', bridge) : '',
    );
  }

  /** The zone of the region taking over, for the local time in the header. */
  private zoneOf(h: Handoff): string | undefined {
    const region = h.changes.find((c) => c.toRegion)?.toRegion;
    return this.deps.schedule.config.regions.find((r) => r.name === region)?.zone;
  }
}

function bySeverityThenAge(a: Incident, b: Incident): number {
  return a.severity - b.severity || a.openedAt - b.openedAt;
}

/** The load table as a message (the weekly digest, the weekend handoff and `/oncall load`). */
export function loadTable(report: LoadReport, title: string): Message {
  if (report.engineers.length === 0) return msg(bold(title), '\nnobody was on call');
  const lines = report.engineers.map((e) =>
    msg(
      '• ',
      mention(e.userId),
      `: ${e.hours}h on call (${e.offHoursHours}h outside working hours, ${e.weekendHours}h weekend), ${e.pages} page(s) (${e.offHoursPages} outside working hours), ${e.sev1s} Sev1`,
    ),
  );
  const { minHours, maxHours, maxOverMean } = report.spread;
  return msg(
    bold(title),
    '\n',
    join(lines, '\n'),
    `\nSpread: ${minHours}h – ${maxHours}h on call; busiest ${maxOverMean}× the team mean`,
  );
}

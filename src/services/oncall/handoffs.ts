// Handoffs at the boundary, not polled: every shift boundary the engine sees in the next two
// days is a durable job due exactly at that instant (key `oncall-handoff:<team>:<ISO>`), and the
// incoming engineer's heads-up DM is a job due N minutes before. Each handoff run queues the
// boundaries after it, and so do the start hook and every override change, so the queue is
// always two days deep. A restart across a boundary runs the queued job late, once (the key),
// and the post says it is late; after an outage longer than the queue only the latest missed
// boundary of each team is posted (a watermark remembers how far ahead jobs were queued).
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../domain/clock.js';
import { formatDuration } from '../../domain/clock.js';
import { bold, code, emoji, msg } from '../../domain/message.js';
import { formatLocal, type RecurringTime, WEEKDAYS } from '../../domain/oncall/index.js';
import { defineJob, type JobDefinition } from '../../jobs/definition.js';
import { type RecurringJob, recurringJob } from '../../jobs/recurring.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { OncallStore } from '../../store/oncall-store.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { WatermarkStore } from '../../store/watermark-store.js';
import type { ChatPort, PeopleProfiles } from '../ports.js';
import { type HandoffMessages, loadTable } from './handoff-message.js';
import type { LoadService } from './load.js';
import type { ScheduleService } from './schedule.js';
import type { UserGroupSync } from './user-groups.js';

export const HANDOFF_JOB = 'oncall.handoff';
export const HANDOFF_DM_JOB = 'oncall.handoff-dm';
export const WEEKEND_JOB = 'oncall.weekend-handoff';
/** How far ahead boundaries are queued as jobs. */
export const HANDOFF_HORIZON_MS = 48 * 3_600_000;
const WATERMARK = 'oncall.handoffs-queued-through';
const WEEK_MS = 7 * 86_400_000;

export interface HandoffDeps {
  schedule: ScheduleService;
  store: OncallStore;
  messages: HandoffMessages;
  scheduler: Scheduler;
  chat: ChatPort;
  people: PeopleProfiles;
  watermarks: WatermarkStore;
  groups: UserGroupSync;
  incidents: Pick<IncidentStore, 'listOpen'>;
  load: LoadService;
  tx: UnitOfWork;
  clock: Clock;
  logger: Logger;
}

const HandoffPayload = z.object({ team: z.string(), at: z.number() });
const DmPayload = z.object({
  team: z.string(),
  at: z.number(),
  level: z.enum(['primary', 'secondary']),
  userId: z.string(),
});

export const handoffKey = (team: string, at: number) =>
  `oncall-handoff:${team}:${new Date(at).toISOString()}`;

/** A recurring time from the config as a scheduler recurrence (node-cron syntax in a zone). */
export function recurrenceOf(time: RecurringTime, defaultZone: string): { cron: string; zone: string } {
  const zone = time.zone ?? defaultZone;
  if ('cron' in time) return { cron: time.cron, zone };
  const [h, m] = time.time.split(':').map(Number);
  const days = time.days?.length ? time.days.map((d) => WEEKDAYS.indexOf(d)).join(',') : '*';
  return { cron: `${m} ${h} * * ${days}`, zone };
}

export class Handoffs {
  readonly weekendJob: RecurringJob;

  constructor(private readonly deps: HandoffDeps) {
    const { schedule } = deps;
    this.weekendJob = recurringJob(deps.scheduler, {
      kind: WEEKEND_JOB,
      failure: { what: 'post the weekend handoff' },
      scopes: () =>
        schedule.config.teams
          .filter((t) => t.channel)
          .map((t) => ({
            scope: t.id,
            recurrence: recurrenceOf(schedule.config.handoff.weekend, 'America/Los_Angeles'),
          })),
      run: async ({ scope: team, at, key }, { now }) =>
        this.postWeekend(team, at, now, `oncall-weekend:${key}`),
    });
  }

  jobs(): JobDefinition<never>[] {
    const handoff = defineJob({
      kind: HANDOFF_JOB,
      payload: HandoffPayload,
      failure: { what: 'post the shift handoff' },
      run: async ({ team, at }, { now }) => this.postHandoff(team, at, now),
    });
    const dm = defineJob({
      kind: HANDOFF_DM_JOB,
      payload: DmPayload,
      failure: { what: 'remind the incoming on-call engineer' },
      run: async (p, { now }) => this.remind(p, now),
    });
    return [handoff, dm, this.weekendJob.definition] as JobDefinition<never>[];
  }

  /**
   * Queues the boundaries of the next two days (idempotent); after an outage, the latest missed
   * one. A handoff job extends only its own team's queue (`team`); start and overrides do all.
   */
  ensure(now: number, team?: string): void {
    const { schedule, scheduler, watermarks, tx } = this.deps;
    const queuedThrough = team ? undefined : watermarks.get(WATERMARK);
    const from = queuedThrough !== undefined && queuedThrough < now ? queuedThrough : now;
    const until = now + HANDOFF_HORIZON_MS;
    const all = schedule.handoffs(from, until, team);
    const latestMissed = new Map<string, number>();
    for (const h of all) if (h.at <= now) latestMissed.set(h.team, h.at);
    const dmMs = schedule.config.handoff.dmMinutesBefore * 60_000;
    tx(() => {
      for (const h of all) {
        if (h.at <= now && latestMissed.get(h.team) !== h.at) continue;
        scheduler.enqueue({
          kind: HANDOFF_JOB,
          payload: { team: h.team, at: h.at },
          key: h.key,
          runAt: h.at,
        });
        if (dmMs === 0 || h.at <= now) continue;
        for (const c of h.changes) {
          if (!c.to) continue;
          scheduler.enqueue({
            kind: HANDOFF_DM_JOB,
            payload: { team: h.team, at: h.at, level: c.level, userId: c.to },
            key: `oncall-dm:${h.team}:${new Date(h.at).toISOString()}:${c.level}:${c.to}`,
            runAt: Math.max(now, h.at - dmMs),
          });
        }
      }
      // The watermark says how far every team is queued: only a full pass may move it.
      if (!team) watermarks.set(WATERMARK, Math.max(until, queuedThrough ?? 0), now);
    });
  }

  /** A note for the next shift handoff, or a plan for the next weekend handoff (audited). */
  note(n: { team: string; kind: 'note' | 'plan'; author: string; text: string }, now: number): void {
    this.deps.tx(() => {
      this.deps.store.addNote({ ...n, text: n.text.slice(0, 500) }, now);
      this.deps.store.audit({
        at: now,
        actor: n.author,
        action: `handoff-${n.kind}`,
        detail: { team: n.team },
      });
    });
  }

  /** What the next handoff of a team will say (for `/handoff`), without posting or claiming notes. */
  preview(team: string, now: number) {
    const next = this.deps.schedule.handoffs(now, now + 14 * 86_400_000, team)[0];
    if (!next) return undefined;
    return {
      at: next.at,
      message: this.deps.messages.shift(next, {
        now,
        lateByMs: 0,
        notes: this.deps.store.pendingNotes(team, 'note', Number.MAX_SAFE_INTEGER),
      }),
    };
  }

  private async postHandoff(team: string, at: number, now: number): Promise<unknown> {
    const { schedule, store, messages, chat, groups, tx } = this.deps;
    const h = schedule.handoffs(at - 1, at, team).find((x) => x.at === at);
    if (!h) return { skipped: 'no handoff at this instant any more (an override moved it)' };
    if (schedule.handoffs(at, now, team).length > 0)
      return { skipped: 'superseded by a later missed handoff' };
    const channel = schedule.team(team)?.channel;
    const lateByMs = now - at > schedule.config.handoff.lateAfterSeconds * 1000 ? now - at : 0;
    if (lateByMs > 0) this.deps.logger.warn({ team, at, lateByMs }, 'posting a late shift handoff');
    tx(() => {
      // Without an on-call channel there is nothing to post, but the user groups still follow.
      if (channel) {
        const notes = store.claimNotes(team, 'note', now, h.key);
        chat.post({ channel }, messages.shift(h, { now, lateByMs, notes }), h.key);
      }
      groups.enqueueFor(team, `boundary:${new Date(at).toISOString()}`);
    });
    this.ensure(Math.max(at, now), team);
    return { posted: h.key, lateByMs };
  }

  private async remind(p: z.infer<typeof DmPayload>, now: number): Promise<unknown> {
    const { schedule, chat, people } = this.deps;
    if (now >= p.at) return { skipped: 'the shift already started' };
    const onCall = schedule.onCall(p.team, p.level, p.at);
    if (onCall?.userId !== p.userId) return { skipped: 'no longer incoming' };
    const zone = (await people.profile(p.userId)).zone ?? 'UTC';
    const open = schedule.tenantsOf(p.team).flatMap((t) => this.deps.incidents.listOpen(t)).length;
    const team = schedule.team(p.team);
    chat.post(
      { channel: p.userId },
      msg(
        emoji('alarm_clock'),
        ' ',
        bold(`You are ${p.level} on call for ${team?.name ?? p.team} in ${formatDuration(p.at - now)}`),
        `: ${formatLocal(p.at, zone)} – ${formatLocal(onCall.shiftEnd, zone)} (${zone}).`,
        ` ${open} open incident(s). Type `,
        code('/handoff'),
        ' to see what the outgoing shift hands over.',
      ),
      `oncall-dm:${p.team}:${new Date(p.at).toISOString()}:${p.level}:${p.userId}`,
    );
    return { reminded: p.userId };
  }

  private async postWeekend(team: string, at: number, now: number, key: string): Promise<unknown> {
    const { schedule, store, messages, chat, tx, load } = this.deps;
    const channel = schedule.team(team)?.channel;
    if (!channel) return { skipped: 'team has no on-call channel' };
    const lateByMs = now - at > schedule.config.handoff.lateAfterSeconds * 1000 ? now - at : 0;
    const report = load.report(team, at - WEEK_MS, at);
    tx(() => {
      const plans = store.claimNotes(team, 'plan', now, key);
      chat.post(
        { channel },
        messages.weekend(team, {
          at,
          now,
          lateByMs,
          plans,
          load: loadTable(report, 'On-call load this week'),
        }),
        key,
      );
    });
    return { posted: key, lateByMs };
  }
}

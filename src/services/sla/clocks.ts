// Response clocks at work: each incident of a tenant under an SLA gets a clock, recomputed from
// its timeline whenever something that matters happens (src/domain/sla/clock.ts holds the rules).
// One durable "tick" job per next-due instant sends what is due: a reminder in the incident
// thread plus a DM to whoever holds the role now (escalating along the chain), and at the target
// the breach — recorded once, immutable, with its evidence — told to the manager and the CSM.
//
// Exactly once: a notice is sent only by the transaction that records its key in sla_notices,
// and every Slack post is keyed the same way in the outbox. A restart re-arms from the jobs table
// (the tick is durable); a tick that finds nothing due does nothing; a notice sent late says so.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../domain/clock.js';
import { link, mention, msg } from '../../domain/message.js';
import {
  type ClockState,
  clockState,
  clockStopped,
  dueNotices,
  lateByMs,
  type PlannedNotice,
  reminderPlan,
} from '../../domain/sla/clock.js';
import type { SlaPolicy, SlaRole } from '../../domain/sla/types.js';
import { defineJob, type JobDefinition } from '../../jobs/definition.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { Incident, IncidentStore, TimelineEntry } from '../../store/incident-store.js';
import type { SlaStore } from '../../store/sla-store.js';
import type { UnitOfWork } from '../../store/unit-of-work.js';
import type { EventHub } from '../events.js';
import type { ActionResult, ChatPort } from '../ports.js';
import type { Responders } from '../responders.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { Timeline } from '../timeline.js';
import { CLOCK_KINDS, clockEventsOf } from './clock-events.js';
import {
  breachText,
  cardLink,
  formatAt,
  minutes,
  type Recipient,
  reminderDm,
  reminderText,
} from './messages.js';

export const SLA_TICK_JOB = 'sla.tick';
const TickPayload = z.object({ incidentId: z.number() });

/** A notice that goes out later than this after its due instant says it is late. */
export const DEFAULT_LATE_AFTER_MS = 60_000;

export interface SlaClockDeps {
  policies: ReadonlyMap<string, SlaPolicy>;
  store: SlaStore;
  incidents: IncidentStore;
  timeline: Timeline;
  tenants: TenantDirectory;
  responders: Responders;
  staff: { isStaff(userId: string): boolean };
  scheduler: Scheduler;
  chat: ChatPort;
  /** Re-renders an incident card now (triage). */
  cards: { now(incidentId: number, reason: string, now: number): void };
  events: EventHub;
  tx: UnitOfWork;
  clock: Clock;
  logger: Logger;
  /** Whether the tenant's Salesforce case gets the breach as a comment (cases capability). */
  hasCase?: (incidentId: number) => boolean;
  lateAfterMs?: number;
}

export interface ActiveClock {
  incident: Incident;
  state: ClockState;
  tenantName: string;
  zone: string;
}

export class SlaClocks {
  private readonly lateAfterMs: number;

  constructor(private readonly deps: SlaClockDeps) {
    this.lateAfterMs = deps.lateAfterMs ?? DEFAULT_LATE_AFTER_MS;
  }

  policyOf(tenantId: string): SlaPolicy | undefined {
    return this.deps.policies.get(tenantId);
  }

  /** The incident's clock at `now`, recomputed from its timeline; undefined without an SLA or a start. */
  state(incident: Incident, now: number): ClockState | undefined {
    const policy = this.policyOf(incident.tenantId);
    if (!policy) return undefined;
    const events = clockEventsOf(this.deps.incidents.timeline(incident.id), policy);
    return clockState(policy, events, now, String(incident.id));
  }

  /** Hears every timeline entry (inside its transaction): re-arms the clock when it may have changed. */
  onTimeline(entry: TimelineEntry): void {
    if (entry.kind === 'comment') {
      this.threadReply(entry);
      return;
    }
    if (!CLOCK_KINDS.has(entry.kind)) return;
    const incident = this.deps.incidents.get(entry.incidentId);
    if (incident && this.policyOf(incident.tenantId)) this.refresh(incident, entry.at);
  }

  /**
   * Writes the clock's index row and queues the tick for its next due notice. A tick passes the
   * state and the sent keys it has just worked with: what it recorded (reminder and breach
   * entries) is no clock event, so reading the timeline and the notices again would give the same.
   */
  refresh(
    incident: Incident,
    now: number,
    known?: { state: ClockState; sent: ReadonlySet<string> },
  ): ClockState | undefined {
    const policy = this.policyOf(incident.tenantId);
    const state = known?.state ?? this.state(incident, now);
    if (!policy || !state) return undefined;
    const { store, scheduler } = this.deps;
    store.saveClock(
      {
        incidentId: incident.id,
        tenantId: incident.tenantId,
        clockId: state.clockId,
        severity: state.severity,
        startedAt: state.firstStartedAt,
        status:
          state.respondedAt !== undefined
            ? 'responded'
            : state.closedAt !== undefined
              ? 'closed'
              : state.status,
        dueAt: state.dueAt ?? null,
      },
      now,
    );
    const sent = known?.sent ?? new Set(store.notices(incident.id).map((n) => n.key));
    const next = reminderPlan(policy, state)
      .filter((n) => n.at !== undefined && !sent.has(n.key))
      .reduce<number | undefined>(
        (min, n) => (min === undefined ? n.at : Math.min(min, n.at as number)),
        undefined,
      );
    if (next !== undefined)
      scheduler.enqueue({
        kind: SLA_TICK_JOB,
        key: `sla-tick:${incident.id}:${next}`,
        runAt: next,
        payload: { incidentId: incident.id },
      });
    return state;
  }

  jobs(): JobDefinition<never>[] {
    const tick = defineJob({
      kind: SLA_TICK_JOB,
      payload: TickPayload,
      failure: { what: 'send an SLA reminder or record a breach' },
      run: async ({ incidentId }, { now }) =>
        this.deps.tx(() => {
          const incident = this.deps.incidents.get(incidentId);
          const policy = incident && this.policyOf(incident.tenantId);
          const state = incident && this.state(incident, now);
          if (!incident || !policy || !state) return { skipped: 'no clock' };
          const sent = new Set(this.deps.store.notices(incidentId).map((n) => n.key));
          const due = dueNotices(reminderPlan(policy, state), now, sent);
          for (const notice of due) {
            this.send(incident, state, notice, now);
            sent.add(notice.key); // on record now, whether this run or an earlier one sent it
          }
          this.refresh(incident, now, { state, sent });
          return { sent: due.map((n) => n.key) };
        }),
    });
    return [tick] as JobDefinition<never>[];
  }

  /** Clocks still waiting for a response, of some tenants (all when undefined): most urgent first. */
  active(tenantIds: readonly string[] | undefined, now: number): ActiveClock[] {
    const rows = tenantIds
      ? tenantIds.flatMap((t) => this.deps.store.activeClocks(t))
      : this.deps.store.activeClocks();
    const clocks = rows.flatMap((row) => {
      const incident = this.deps.incidents.get(row.incidentId);
      const state = incident && this.state(incident, now);
      if (!incident || !state || clockStopped(state)) return [];
      const tenant = this.deps.tenants.tenant(incident.tenantId);
      return [
        { incident, state, tenantName: tenant?.name ?? incident.tenantId, zone: tenant?.timezone ?? 'UTC' },
      ];
    });
    // Breached first (longest overdue), then least counted time left; paused clocks after running ones.
    const rank = (c: ActiveClock) => (c.state.breached ? 0 : c.state.paused ? 2 : 1);
    return clocks.sort((a, b) => rank(a) - rank(b) || a.state.remainingMs - b.state.remainingMs);
  }

  /** "Waiting on customer" from the card: the clock stops until resumed (or the response). */
  pause(incidentId: number, user: string, now: number, reason?: string): ActionResult {
    return this.act(incidentId, now, (incident, policy, state) => {
      if (clockStopped(state))
        return { ok: false, message: msg(`The ${incident.ref} response clock has already stopped.`) };
      if (state.paused)
        return {
          ok: false,
          message: msg(`The ${incident.ref} clock is already paused (${state.paused.reason}).`),
        };
      const why = reason ?? policy.pauseReasons[0];
      if (!why || !policy.pauseReasons.includes(why))
        return { ok: false, message: msg(`This contract has no pause reason "${why ?? ''}".`) };
      this.record(incident, now, 'sla-pause', user, msg('SLA clock paused by ', mention(user), `: ${why}`), {
        reason: why,
      });
      return {
        ok: true,
        message: msg(
          `Paused the ${incident.ref} response clock (${why}); ${minutes(state.remainingMs)} left when it resumes. `,
          'Press Resume clock on the card when the customer answers.',
        ),
      };
    });
  }

  resume(incidentId: number, user: string, now: number): ActionResult {
    return this.act(incidentId, now, (incident, _policy, state) => {
      if (!state.paused) return { ok: false, message: msg(`The ${incident.ref} clock is not paused.`) };
      this.record(incident, now, 'sla-resume', user, msg('SLA clock resumed by ', mention(user)));
      return {
        ok: true,
        message: msg(`Resumed the ${incident.ref} response clock: ${minutes(state.remainingMs)} left.`),
      };
    });
  }

  private act(
    incidentId: number,
    now: number,
    fn: (incident: Incident, policy: SlaPolicy, state: ClockState) => ActionResult,
  ): ActionResult {
    return this.deps.tx(() => {
      const incident = this.deps.incidents.get(incidentId);
      if (!incident) return { ok: false, message: msg(`There is no incident ${incidentId}.`) };
      const policy = this.policyOf(incident.tenantId);
      const state = this.state(incident, now);
      if (!policy || !state)
        return { ok: false, message: msg(`${incident.ref} has no response clock (its tenant has no SLA).`) };
      return fn(incident, policy, state);
    });
  }

  /** A staff member's reply in the card thread is the first response, when the contract says so. */
  private threadReply(entry: TimelineEntry): void {
    if (!entry.actor || !this.deps.staff.isStaff(entry.actor)) return;
    const incident = this.deps.incidents.get(entry.incidentId);
    const policy = incident && this.policyOf(incident.tenantId);
    if (!incident || !policy?.responseOn.includes('thread-reply')) return;
    const state = this.state(incident, entry.at);
    if (!state || clockStopped(state)) return;
    this.record(
      incident,
      entry.at,
      'sla-response',
      entry.actor,
      msg('First response: ', mention(entry.actor), ' replied in the thread'),
      {
        via: 'thread-reply',
        replyTs: (entry.data as { ts?: string } | null)?.ts,
      },
    );
  }

  /** Who holds an SLA role for the tenant now: the on-call engine, then the tenant's contacts. */
  private holder(tenantId: string, role: SlaRole, now: number): string | undefined {
    const contacts = this.deps.tenants.tenant(tenantId)?.contacts;
    if (role === 'csm') return contacts?.csm;
    return (
      this.deps.responders.responderFor(tenantId, role, now) ??
      (role === 'manager' ? contacts?.manager : undefined)
    );
  }

  private send(incident: Incident, state: ClockState, notice: PlannedNotice, now: number): void {
    const { store, chat, tenants } = this.deps;
    const tenant = tenants.tenant(incident.tenantId);
    const zone = tenant?.timezone ?? 'UTC';
    const recipients: Recipient[] = notice.notify.map((role) => {
      const userId = this.holder(incident.tenantId, role, now);
      return userId ? { role, userId } : { role };
    });
    const notified = recipients.flatMap((r) => (r.userId ? [{ role: r.role, userId: r.userId }] : []));
    const recorded = store.recordNotice({
      key: notice.key,
      incidentId: incident.id,
      clockId: state.clockId,
      kind: notice.kind,
      offsetMinutes: notice.offsetMinutes,
      dueAt: notice.at ?? now,
      sentAt: now,
      notified,
    });
    if (!recorded) return; // another run sent it
    const where = incident.cardTs
      ? { channel: incident.channel, threadTs: incident.cardTs }
      : { channel: incident.channel };
    const common = { incident, state, notice, zone, now, lateAfterMs: this.lateAfterMs };
    const late = lateByMs(notice, now) > this.lateAfterMs;
    if (notice.kind === 'reminder') {
      chat.post(where, reminderText({ ...common, recipients }), notice.key);
      this.record(
        incident,
        now,
        'sla-reminder',
        null,
        msg(
          `SLA reminder at ${minutes(notice.offsetMinutes * 60_000)}${late ? ' (late)' : ''}: told `,
          notified.length > 0
            ? notified.map((r) => [mention(r.userId), ` (${r.role}) `])
            : 'nobody (no holder of the role) ',
        ),
        { key: notice.key, dueAt: notice.at, notified },
      );
    } else {
      const caseComment = this.deps.hasCase?.(incident.id) ?? false;
      const sentReminders = store
        .notices(incident.id)
        .filter((n) => n.kind === 'reminder' && n.clockId === state.clockId);
      const breachAt = notice.at ?? now;
      store.recordBreach({
        clockId: state.clockId,
        incidentId: incident.id,
        tenantId: incident.tenantId,
        severity: state.severity,
        startedAt: state.startedAt,
        targetMs: state.targetMs,
        breachAt,
        recordedAt: now,
        evidence: {
          firstAlarmAt: this.firstAlarmAt(incident),
          clockStartedAt: state.startedAt,
          targetMinutes: state.targetMs / 60_000,
          pauses: state.pauses.map((p) => ({ ...p })),
          remindersSent: sentReminders.map((n) => ({
            key: n.key,
            at: n.sentAt,
            offsetMinutes: n.offsetMinutes,
            notified: n.notified.map((r) => r.userId),
          })),
          notified,
        },
      });
      chat.post(where, breachText({ ...common, recipients, caseComment }), notice.key);
      this.record(
        incident,
        now,
        'sla-breach',
        null,
        msg(
          `SLA breached: no human response within ${minutes(state.targetMs)} of ${formatAt(state.startedAt, zone)} `,
          `(due ${formatAt(breachAt, zone)})${late ? '; recorded late after downtime' : ''}`,
        ),
        { key: notice.key, clockId: state.clockId, breachAt, notified },
      );
    }
    for (const r of notified) {
      chat.post(
        { channel: r.userId },
        notice.kind === 'reminder'
          ? reminderDm({ ...common, tenantName: tenant?.name ?? incident.tenantId })
          : msg(
              breachText({ ...common, recipients, caseComment: false }),
              cardLink(incident) ? msg(' ', link(cardLink(incident) as string, 'Open the card')) : undefined,
            ),
        `${notice.key}:dm:${r.userId}`,
      );
      this.deps.events.emit('incident.paged', {
        key: `${notice.key}:${r.userId}`,
        incidentId: incident.id,
        tenantId: incident.tenantId,
        userId: r.userId,
        severity: incident.severity,
        at: now,
      });
    }
    this.deps.logger.info(
      { incidentId: incident.id, key: notice.key, lateMs: lateByMs(notice, now) },
      notice.kind === 'breach' ? 'SLA breach recorded' : 'SLA reminder sent',
    );
  }

  /** The first alarm of the incident (evidence); null for one declared by hand. */
  firstAlarmAt(incident: Incident): number | null {
    const members = this.deps.incidents.members(incident.id);
    return members.length === 0
      ? null
      : members.reduce((min, m) => Math.min(min, m.firstSeen), Number.POSITIVE_INFINITY);
  }

  private record(
    incident: Incident,
    now: number,
    kind: 'sla-pause' | 'sla-resume' | 'sla-response' | 'sla-reminder' | 'sla-breach',
    actor: string | null,
    message: ReturnType<typeof msg>,
    data?: unknown,
  ): void {
    const entry = this.deps.timeline.record({ incidentId: incident.id, at: now, kind, actor, message, data });
    this.deps.incidents.touch(incident.id);
    // A reminder changes nothing the card shows (its clock line names the due time, a breach or a
    // pause): re-rendering it was a card job and a chat.update per reminder for an identical card.
    if (kind !== 'sla-reminder') this.deps.cards.now(incident.id, `${kind}:${entry.id}`, now);
  }
}

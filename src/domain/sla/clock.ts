// The response clock of one incident, as a fold over its timeline. Nothing is stored but the
// events: the state at any instant is recomputed from them (so a restart, a replay or a report
// months later gets the same answer), and events after `now` are ignored.
//
// Rules (docs/sla.md, "The clock"):
// - The clock starts at the first event that gives the incident a severity (start, severity or
//   downgrade). It stops at the first response; later events change nothing but the record.
// - Only counted time runs the clock: time inside the severity's coverage calendar and outside
//   explicit pauses. A pause counts only when its reason is one of the policy's pauseReasons.
// - An upgrade (a stricter severity) restarts the clock: a new clock from the upgrade instant
//   under the stricter target. A breach of the replaced clock stays on record.
// - A downgrade keeps the history: the clock continues under the stricter target. Only when the
//   customer agreed does the new target apply, from the running clock's own start, under the new
//   severity's coverage, as if the clock had been that severity all along. A clock that already
//   breached keeps its breach: an agreement after the fact does not undo a miss.
// - A close (the incident resolved itself: every alarm cleared, nobody responded) ends the clock
//   without a response: nothing is due after it, and it is neither on time nor a breach unless
//   the breach came first.
// - "Within 30 minutes" means strictly less: the breach instant is the instant the counted time
//   reaches the target, and a response at that instant is late.
import { addBusinessMs, businessMsBetween, isCovered } from './calendar.js';
import { targetMsAt } from './policy.js';
import type { Severity, SlaPolicy, SlaRole } from './types.js';

export const CLOCK_EVENT_KINDS = [
  'start',
  'severity',
  'pause',
  'resume',
  'response',
  'downgrade',
  'close',
] as const;
export type ClockEventKind = (typeof CLOCK_EVENT_KINDS)[number];

/** A timeline entry as the clock reads it. */
export interface ClockEvent {
  at: number;
  kind: ClockEventKind;
  severity?: Severity;
  /** Who did it (Slack user id), kept as evidence; the responder of a response. */
  actor?: string;
  /** On a downgrade: the customer agreed to the lower severity. */
  customerAgreed?: boolean;
  /** On a pause: why (must be one of the policy's pauseReasons). */
  reason?: string;
}

export interface PauseInterval {
  from: number;
  /** Absent while the pause is open. */
  to?: number;
  reason: string;
  actor?: string;
}

export interface SeverityChange {
  at: number;
  from: Severity;
  to: Severity;
  customerAgreed: boolean;
  /** What it did to the clock. */
  effect: 'restarted' | 'retargeted' | 'kept-target' | 'kept-breach' | 'after-response';
}

export interface BreachRecord {
  clockId: string;
  severity: Severity;
  startedAt: number;
  targetMs: number;
  breachAt: number;
}

export interface ClockState {
  incidentId: string;
  /** Identity of the running clock: changes when an upgrade restarts it or an agreement retargets it. */
  clockId: string;
  /** The severity whose target governs the clock (not lowered by a downgrade without agreement). */
  severity: Severity;
  /** The incident's severity now, as the card shows it. */
  incidentSeverity: Severity;
  /** Start of the running clock (the upgrade instant after an upgrade). */
  startedAt: number;
  /** Start of the first clock of this incident. */
  firstStartedAt: number;
  targetMs: number;
  /** Counted time so far (until the response when there was one). */
  elapsedBusinessMs: number;
  /** targetMs − elapsedBusinessMs; negative once breached (how far over). */
  remainingMs: number;
  /** The instant the target is (or was) reached; undefined while paused before reaching it. */
  dueAt?: number;
  paused?: { since: number; reason: string };
  outsideCoverage: boolean;
  respondedAt?: number;
  responder?: string;
  /** Closed without a response (the incident resolved itself). */
  closedAt?: number;
  breached: boolean;
  breachAt?: number;
  status: 'running' | 'paused' | 'outside-coverage' | 'breached' | 'responded' | 'closed';
  /** Evidence. */
  pauses: PauseInterval[];
  severityChanges: SeverityChange[];
  /** Breaches of this incident: replaced clocks' and the running one's. */
  breaches: BreachRecord[];
  /** Events that changed nothing, with why (a pause reason the contract does not know, …). */
  ignored: Array<{ at: number; kind: ClockEventKind; why: string }>;
}

/** What the fold carries between events; everything else is derived at projection time. */
export interface ClockAccumulator {
  incidentId: string;
  started?: {
    severity: Severity;
    incidentSeverity: Severity;
    startedAt: number;
    firstStartedAt: number;
  };
  respondedAt?: number;
  responder?: string;
  /** The incident closed without a response (resolved automatically). */
  closedAt?: number;
  pauses: PauseInterval[];
  severityChanges: SeverityChange[];
  earlierBreaches: BreachRecord[];
  ignored: ClockState['ignored'];
}

export function initialClock(incidentId: string): ClockAccumulator {
  return { incidentId, pauses: [], severityChanges: [], earlierBreaches: [], ignored: [] };
}

const clockIdOf = (incidentId: string, startedAt: number, severity: Severity) =>
  `${incidentId}:${startedAt}:sev${severity}`;

/** The instant at which the clock's counted time reaches `ms`, given pauses known so far. */
function instantAtCounted(
  policy: SlaPolicy,
  severity: Severity,
  startedAt: number,
  pauses: readonly PauseInterval[],
  ms: number,
): number | undefined {
  const cal = policy.severities[severity].coverage;
  let counted = 0;
  let from = startedAt;
  for (const pause of activePauses(pauses, startedAt)) {
    const segment = businessMsBetween(cal, from, pause.from);
    if (counted + segment >= ms && ms > counted) return addBusinessMs(cal, from, ms - counted);
    counted += segment;
    if (pause.to === undefined) return undefined; // paused: the rest is unknown
    from = Math.max(from, pause.to);
  }
  return addBusinessMs(cal, from, ms - counted);
}

/** Counted time in [startedAt, until), pauses excluded. */
function countedMs(
  policy: SlaPolicy,
  severity: Severity,
  startedAt: number,
  pauses: readonly PauseInterval[],
  until: number,
): number {
  const cal = policy.severities[severity].coverage;
  let counted = 0;
  let from = startedAt;
  for (const pause of activePauses(pauses, startedAt)) {
    if (pause.from >= until) break;
    counted += businessMsBetween(cal, from, pause.from);
    if (pause.to === undefined || pause.to >= until) return counted;
    from = Math.max(from, pause.to);
  }
  return counted + businessMsBetween(cal, from, until);
}

/** Pauses overlapping [startedAt, ∞), clipped to start there. */
function activePauses(pauses: readonly PauseInterval[], startedAt: number): PauseInterval[] {
  return pauses
    .filter((p) => p.to === undefined || p.to > startedAt)
    .map((p) => (p.from < startedAt ? { ...p, from: startedAt } : p));
}

function breachOf(policy: SlaPolicy, acc: ClockAccumulator, now: number): BreachRecord | undefined {
  const s = acc.started;
  if (!s) return undefined;
  const targetMs = targetMsAt(policy.severities[s.severity], s.startedAt);
  const breachAt = instantAtCounted(policy, s.severity, s.startedAt, acc.pauses, targetMs);
  if (breachAt === undefined || breachAt > now) return undefined;
  if (acc.respondedAt !== undefined && acc.respondedAt < breachAt) return undefined;
  if (acc.closedAt !== undefined && acc.closedAt <= breachAt) return undefined;
  return {
    clockId: clockIdOf(acc.incidentId, s.startedAt, s.severity),
    severity: s.severity,
    startedAt: s.startedAt,
    targetMs,
    breachAt,
  };
}

const openPause = (acc: ClockAccumulator) => {
  const last = acc.pauses.at(-1);
  return last && last.to === undefined ? last : undefined;
};

/** One event. Events must come in timeline order (clockState sorts them). */
export function stepClock(policy: SlaPolicy, acc: ClockAccumulator, event: ClockEvent): ClockAccumulator {
  const next: ClockAccumulator = {
    ...acc,
    pauses: [...acc.pauses],
    severityChanges: [...acc.severityChanges],
    earlierBreaches: [...acc.earlierBreaches],
    ignored: [...acc.ignored],
  };
  const ignore = (why: string) => {
    next.ignored.push({ at: event.at, kind: event.kind, why });
    return next;
  };
  const started = acc.started;

  if (event.kind === 'start' || event.kind === 'severity' || event.kind === 'downgrade') {
    const severity = event.severity;
    if (severity === undefined) return ignore('no severity given');
    if (!started) {
      next.started = { severity, incidentSeverity: severity, startedAt: event.at, firstStartedAt: event.at };
      return next;
    }
    if (severity === started.incidentSeverity) return ignore(`already Sev${severity}`);
    const change = {
      at: event.at,
      from: started.incidentSeverity,
      to: severity,
      customerAgreed: event.customerAgreed === true,
    };
    if (acc.respondedAt !== undefined || acc.closedAt !== undefined) {
      next.started = { ...started, incidentSeverity: severity };
      next.severityChanges.push({ ...change, effect: 'after-response' });
      return next;
    }
    const breach = breachOf(policy, acc, event.at);
    if (severity < started.severity) {
      // Upgrade: a new clock from now under the stricter target; a miss of the old one stays.
      if (breach) next.earlierBreaches.push(breach);
      next.started = { ...started, severity, incidentSeverity: severity, startedAt: event.at };
      next.severityChanges.push({ ...change, effect: 'restarted' });
    } else if (severity === started.severity || !change.customerAgreed) {
      // Back to the governing severity, or a downgrade without the customer's agreement.
      next.started = { ...started, incidentSeverity: severity };
      next.severityChanges.push({ ...change, effect: 'kept-target' });
    } else if (breach) {
      next.started = { ...started, incidentSeverity: severity };
      next.severityChanges.push({ ...change, effect: 'kept-breach' });
    } else {
      next.started = { ...started, severity, incidentSeverity: severity };
      next.severityChanges.push({ ...change, effect: 'retargeted' });
    }
    return next;
  }

  if (!started) return ignore('the clock has not started');
  if (acc.respondedAt !== undefined) return ignore('the clock already stopped at the first response');
  if (acc.closedAt !== undefined) return ignore('the incident already closed');

  switch (event.kind) {
    case 'pause': {
      const reason = event.reason ?? '';
      if (!policy.pauseReasons.includes(reason))
        return ignore(
          `pause reason "${reason}" is not one of the contract's (${policy.pauseReasons.join(', ')})`,
        );
      if (openPause(acc)) return ignore('already paused');
      next.pauses.push({ from: event.at, reason, ...(event.actor ? { actor: event.actor } : {}) });
      return next;
    }
    case 'resume': {
      const open = openPause(acc);
      if (!open) return ignore('not paused');
      next.pauses[next.pauses.length - 1] = { ...open, to: event.at };
      return next;
    }
    case 'close': {
      next.closedAt = event.at;
      const open = openPause(acc);
      if (open) next.pauses[next.pauses.length - 1] = { ...open, to: event.at };
      return next;
    }
    case 'response': {
      next.respondedAt = event.at;
      if (event.actor) next.responder = event.actor;
      // A response ends an open pause: the clock has stopped anyway.
      const open = openPause(acc);
      if (open) next.pauses[next.pauses.length - 1] = { ...open, to: event.at };
      return next;
    }
  }
}

/** The state at `now` of a folded clock; undefined when no event has started it. */
export function projectClock(policy: SlaPolicy, acc: ClockAccumulator, now: number): ClockState | undefined {
  const s = acc.started;
  if (!s) return undefined;
  const severityPolicy = policy.severities[s.severity];
  const targetMs = targetMsAt(severityPolicy, s.startedAt);
  const stoppedAt = acc.respondedAt ?? acc.closedAt;
  const until = stoppedAt !== undefined ? Math.min(stoppedAt, now) : now;
  const elapsedBusinessMs = countedMs(policy, s.severity, s.startedAt, acc.pauses, until);
  const dueAt = instantAtCounted(policy, s.severity, s.startedAt, acc.pauses, targetMs);
  const breach = breachOf(policy, acc, now);
  const open = stoppedAt === undefined ? openPause(acc) : undefined;
  const outsideCoverage = !isCovered(severityPolicy.coverage, now);
  const status: ClockState['status'] =
    acc.respondedAt !== undefined && !breach
      ? 'responded'
      : acc.closedAt !== undefined && !breach
        ? 'closed'
        : breach
          ? 'breached'
          : open
            ? 'paused'
            : outsideCoverage
              ? 'outside-coverage'
              : 'running';
  return {
    incidentId: acc.incidentId,
    clockId: clockIdOf(acc.incidentId, s.startedAt, s.severity),
    severity: s.severity,
    incidentSeverity: s.incidentSeverity,
    startedAt: s.startedAt,
    firstStartedAt: s.firstStartedAt,
    targetMs,
    elapsedBusinessMs,
    remainingMs: targetMs - elapsedBusinessMs,
    ...(dueAt !== undefined ? { dueAt } : {}),
    ...(open ? { paused: { since: open.from, reason: open.reason } } : {}),
    outsideCoverage,
    ...(acc.respondedAt !== undefined ? { respondedAt: acc.respondedAt } : {}),
    ...(acc.responder !== undefined ? { responder: acc.responder } : {}),
    ...(acc.closedAt !== undefined ? { closedAt: acc.closedAt } : {}),
    breached: breach !== undefined,
    ...(breach ? { breachAt: breach.breachAt } : {}),
    status,
    pauses: acc.pauses,
    severityChanges: acc.severityChanges,
    breaches: breach ? [...acc.earlierBreaches, breach] : acc.earlierBreaches,
    ignored: acc.ignored,
  };
}

/** The clock has stopped for good: a response, or the incident closed by itself (a breach may stand). */
export function clockStopped(state: ClockState): boolean {
  return state.respondedAt !== undefined || state.closedAt !== undefined;
}

/** How late a notice is at `now` (0 before its instant, or while its instant is unknown). */
export function lateByMs(notice: PlannedNotice, now: number): number {
  return notice.at === undefined ? 0 : Math.max(0, now - notice.at);
}

/** Sorts by time (stable: equal instants keep timeline order) and drops events after `now`. */
export function timelineUpTo(events: readonly ClockEvent[], now: number): ClockEvent[] {
  return events
    .map((event, i) => ({ event, i }))
    .filter(({ event }) => event.at <= now)
    .sort((a, b) => a.event.at - b.event.at || a.i - b.i)
    .map(({ event }) => event);
}

export function foldClock(
  policy: SlaPolicy,
  events: readonly ClockEvent[],
  from: ClockAccumulator,
): ClockAccumulator {
  return events.reduce((acc, event) => stepClock(policy, acc, event), from);
}

/** The state at `now` of the clock of `incidentId`, from its timeline; undefined before it starts. */
export function clockState(
  policy: SlaPolicy,
  events: readonly ClockEvent[],
  now: number,
  incidentId: string,
): ClockState | undefined {
  return projectClock(policy, foldClock(policy, timelineUpTo(events, now), initialClock(incidentId)), now);
}

export interface PlannedNotice {
  /** Idempotency key of the job: sla-remind:<clockId>:<offsetMinutes> or sla-breach:<clockId>. */
  key: string;
  kind: 'reminder' | 'breach';
  /** Counted minutes after the start; the target's for a breach. */
  offsetMinutes: number;
  /** Wall-clock instant it is due; undefined while paused before reaching it. */
  at?: number;
  notify: readonly SlaRole[];
}

/**
 * Every reminder and the breach this clock produces (or produced), in order: the ones reached
 * before a response and every one still ahead of a running clock. A job runner enqueues each
 * key once; when a job runs it re-derives the plan and does nothing if its key is gone (after an
 * upgrade restarted the clock, an agreement retargeted it, or a response came first).
 */
export function reminderPlan(policy: SlaPolicy, state: ClockState): PlannedNotice[] {
  const terms = policy.severities[state.severity];
  const plan: PlannedNotice[] = [];
  const stoppedAt = state.respondedAt ?? state.closedAt;
  const keep = (at: number | undefined) => stoppedAt === undefined || (at !== undefined && at < stoppedAt);
  for (const reminder of terms.reminders) {
    const ms = reminder.afterMinutes * 60_000;
    if (ms >= state.targetMs) continue; // a next-business-day target shorter than an offset
    const at = instantAtCounted(policy, state.severity, state.startedAt, state.pauses, ms);
    if (!keep(at)) continue;
    plan.push({
      key: `sla-remind:${state.clockId}:${reminder.afterMinutes}`,
      kind: 'reminder',
      offsetMinutes: reminder.afterMinutes,
      ...(at !== undefined ? { at } : {}),
      notify: reminder.notify,
    });
  }
  if (keep(state.dueAt)) {
    plan.push({
      key: `sla-breach:${state.clockId}`,
      kind: 'breach',
      offsetMinutes: state.targetMs / 60_000,
      ...(state.dueAt !== undefined ? { at: state.dueAt } : {}),
      notify: policy.breachNotify,
    });
  }
  return plan;
}

/** The notices due at `now` that a runner has not sent yet (by key). */
export function dueNotices(
  plan: readonly PlannedNotice[],
  now: number,
  sent: ReadonlySet<string>,
): PlannedNotice[] {
  return plan.filter((n) => n.at !== undefined && n.at <= now && !sent.has(n.key));
}

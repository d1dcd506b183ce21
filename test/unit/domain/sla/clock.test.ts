// The response clock with a fake clock: instants are plain epoch numbers, `now` is passed in.
import { describe, expect, it } from 'vitest';
import {
  type ClockEvent,
  clockState,
  dueNotices,
  reminderPlan,
  resolveSlaPolicy,
  type SlaPolicy,
} from '../../../../src/domain/sla/index.js';

const MIN = 60_000;
const { policy } = resolveSlaPolicy({}, 'America/Los_Angeles');
// 03:00 on a Saturday in Los Angeles: Sev1 is covered around the clock.
const T0 = Date.parse('2026-11-28T11:00:00Z');
const at = (minutes: number) => T0 + minutes * MIN;
const start = (severity: 1 | 2 | 3 | 4 = 1): ClockEvent => ({ at: T0, kind: 'start', severity });
const state = (events: ClockEvent[], now: number, p: SlaPolicy = policy) => {
  const s = clockState(p, events, now, 'inc-7');
  if (!s) throw new Error('clock not started');
  return s;
};

describe('a Sev1 acknowledged in time', () => {
  const events: ClockEvent[] = [start(), { at: at(9), kind: 'response', actor: 'U0STAFF001' }];

  it('stops at the response: 9 counted minutes, on time, who responded', () => {
    expect(state(events, at(60))).toMatchObject({
      status: 'responded',
      respondedAt: at(9),
      responder: 'U0STAFF001',
      elapsedBusinessMs: 9 * MIN,
      remainingMs: 21 * MIN,
      breached: false,
    });
  });

  it('ack at 9 min → no reminder and no breach is due, ever after', () => {
    const s = state(events, at(9));
    expect(reminderPlan(policy, s)).toEqual([]);
    expect(dueNotices(reminderPlan(policy, state(events, at(600))), at(600), new Set())).toEqual([]);
  });

  it('ack at 15 min → only the 10-minute reminder was due', () => {
    const s = state([start(), { at: at(15), kind: 'response' }], at(30));
    expect(reminderPlan(policy, s).map((n) => n.offsetMinutes)).toEqual([10]);
  });
});

describe('a Sev1 nobody acknowledges', () => {
  const events = [start()];

  it('plans reminders at 10, 20 and 25 minutes, escalating, and the breach at exactly 30', () => {
    const s = state(events, T0);
    expect(reminderPlan(policy, s)).toEqual([
      {
        key: `sla-remind:inc-7:${T0}:sev1:10`,
        kind: 'reminder',
        offsetMinutes: 10,
        at: at(10),
        notify: ['primary'],
      },
      {
        key: `sla-remind:inc-7:${T0}:sev1:20`,
        kind: 'reminder',
        offsetMinutes: 20,
        at: at(20),
        notify: ['secondary'],
      },
      {
        key: `sla-remind:inc-7:${T0}:sev1:25`,
        kind: 'reminder',
        offsetMinutes: 25,
        at: at(25),
        notify: ['manager'],
      },
      {
        key: `sla-breach:inc-7:${T0}:sev1`,
        kind: 'breach',
        offsetMinutes: 30,
        at: at(30),
        notify: ['manager', 'csm'],
      },
    ]);
  });

  it('the plan is the same whenever it is computed (the keys make jobs idempotent)', () => {
    const early = reminderPlan(policy, state(events, at(1)));
    const late = reminderPlan(policy, state(events, at(29)));
    const after = reminderPlan(policy, state(events, at(600)));
    expect(late).toEqual(early);
    expect(after).toEqual(early);
  });

  it('each notice is due once: a runner that records sent keys sends three reminders and one breach', () => {
    const sent = new Set<string>();
    const order: number[] = [];
    for (let minute = 0; minute <= 120; minute++) {
      const now = at(minute);
      for (const notice of dueNotices(reminderPlan(policy, state(events, now)), now, sent)) {
        sent.add(notice.key);
        order.push(minute);
      }
    }
    expect(order).toEqual([10, 20, 25, 30]);
  });

  it('a runner down from minute 11 to 24 catches up the 20-minute reminder once, late, then 25 and the breach', () => {
    const sent = new Map<string, number>(); // key → minute sent (the durable record survives the restart)
    const tick = (minute: number) => {
      for (const notice of dueNotices(
        reminderPlan(policy, state(events, at(minute))),
        at(minute),
        new Set(sent.keys()),
      ))
        sent.set(notice.key, minute);
    };
    for (let minute = 0; minute <= 11; minute++) tick(minute);
    for (let minute = 24; minute <= 40; minute++) tick(minute);
    expect([...sent.values()]).toEqual([10, 24, 25, 30]);
    const late = reminderPlan(policy, state(events, at(24))).find((n) => n.offsetMinutes === 20)!;
    expect(at(24) - late.at!).toBe(4 * MIN); // what the late message says
  });

  it('breaches at exactly 30 minutes: 1 ms before, at and after', () => {
    expect(state(events, at(30) - 1)).toMatchObject({ breached: false, remainingMs: 1, status: 'running' });
    expect(state(events, at(30))).toMatchObject({
      breached: true,
      breachAt: at(30),
      remainingMs: 0,
      status: 'breached',
    });
    expect(state(events, at(30) + 1)).toMatchObject({ breached: true, breachAt: at(30), remainingMs: -1 });
  });

  it('"within 30 minutes" is strict: a response at 29:59.999 is on time, at 30:00.000 late', () => {
    const onTime = state([...events, { at: at(30) - 1, kind: 'response' }], at(40));
    const late = state([...events, { at: at(30), kind: 'response' }], at(40));
    expect(onTime).toMatchObject({ breached: false, status: 'responded' });
    expect(late).toMatchObject({ breached: true, breachAt: at(30), respondedAt: at(30), status: 'breached' });
    expect(late.breaches).toEqual([
      { clockId: `inc-7:${T0}:sev1`, severity: 1, startedAt: T0, targetMs: 30 * MIN, breachAt: at(30) },
    ]);
  });

  it('events after now do not count (the state at now)', () => {
    expect(state([...events, { at: at(5), kind: 'response' }], at(4))).toMatchObject({
      status: 'running',
      elapsedBusinessMs: 4 * MIN,
    });
    expect(clockState(policy, [{ at: at(1), kind: 'start', severity: 1 }], T0, 'inc-7')).toBeUndefined();
  });
});

describe('pauses', () => {
  const paused: ClockEvent[] = [
    start(),
    { at: at(5), kind: 'pause', reason: 'waiting-on-customer', actor: 'U0STAFF001' },
  ];

  it('while waiting on the customer the clock stands still and has no due instant', () => {
    const s = state(paused, at(12));
    expect(s).toMatchObject({ status: 'paused', paused: { since: at(5), reason: 'waiting-on-customer' } });
    expect(s.elapsedBusinessMs).toBe(5 * MIN);
    expect(s.dueAt).toBeUndefined();
    // The 10-minute reminder is not reached yet, so its instant is unknown; nothing is due.
    expect(reminderPlan(policy, s).map((n) => [n.offsetMinutes, n.at])).toEqual([
      [10, undefined],
      [20, undefined],
      [25, undefined],
      [30, undefined],
    ]);
  });

  it('a resume moves every instant still ahead by the length of the pause', () => {
    const s = state([...paused, { at: at(15), kind: 'resume' }], at(15));
    expect(s.dueAt).toBe(at(40));
    expect(reminderPlan(policy, s).map((n) => n.at)).toEqual([at(20), at(30), at(35), at(40)]);
  });

  it('a pause for a reason the contract does not know changes nothing, and says why', () => {
    const s = state([start(), { at: at(5), kind: 'pause', reason: 'lunch' }], at(12));
    expect(s.status).toBe('running');
    expect(s.elapsedBusinessMs).toBe(12 * MIN);
    expect(s.ignored).toEqual([
      {
        at: at(5),
        kind: 'pause',
        why: 'pause reason "lunch" is not one of the contract\'s (waiting-on-customer)',
      },
    ]);
  });
});

describe('an upgrade restarts the clock with the stricter target', () => {
  // Sev2 (2 h) at T0; upgraded to Sev1 at 50 minutes.
  const events: ClockEvent[] = [start(2), { at: at(50), kind: 'severity', severity: 1 }];

  it('from the upgrade instant: due 30 minutes after it, a new clock id', () => {
    const s = state(events, at(55));
    expect(s).toMatchObject({
      severity: 1,
      startedAt: at(50),
      firstStartedAt: T0,
      targetMs: 30 * MIN,
      elapsedBusinessMs: 5 * MIN,
      dueAt: at(80),
      clockId: `inc-7:${at(50)}:sev1`,
    });
    expect(s.severityChanges).toEqual([
      { at: at(50), from: 2, to: 1, customerAgreed: false, effect: 'restarted' },
    ]);
  });

  it('the Sev1 reminders follow the new start; the Sev2 ones are gone from the plan', () => {
    const plan = reminderPlan(policy, state(events, at(55)));
    expect(plan.map((n) => [n.key, n.at])).toEqual([
      [`sla-remind:inc-7:${at(50)}:sev1:10`, at(60)],
      [`sla-remind:inc-7:${at(50)}:sev1:20`, at(70)],
      [`sla-remind:inc-7:${at(50)}:sev1:25`, at(75)],
      [`sla-breach:inc-7:${at(50)}:sev1`, at(80)],
    ]);
  });

  it('a breach of the replaced clock stays on record', () => {
    const s = state([start(2), { at: at(130), kind: 'severity', severity: 1 }], at(140));
    expect(s.breached).toBe(false); // the new Sev1 clock has 20 minutes left
    expect(s.breaches).toEqual([
      { clockId: `inc-7:${T0}:sev2`, severity: 2, startedAt: T0, targetMs: 120 * MIN, breachAt: at(120) },
    ]);
  });
});

describe('a downgrade keeps the history unless the customer agreed', () => {
  it('without agreement: the Sev1 target still governs, the card shows Sev2', () => {
    const s = state([start(1), { at: at(10), kind: 'downgrade', severity: 2 }], at(31));
    expect(s).toMatchObject({
      severity: 1,
      incidentSeverity: 2,
      dueAt: at(30),
      breached: true,
      breachAt: at(30),
    });
    expect(s.severityChanges).toEqual([
      { at: at(10), from: 1, to: 2, customerAgreed: false, effect: 'kept-target' },
    ]);
  });

  it('with agreement: the Sev2 target applies from the original start', () => {
    const s = state([start(1), { at: at(10), kind: 'downgrade', severity: 2, customerAgreed: true }], at(31));
    expect(s).toMatchObject({
      severity: 2,
      incidentSeverity: 2,
      startedAt: T0,
      targetMs: 120 * MIN,
      elapsedBusinessMs: 31 * MIN,
      dueAt: at(120),
      breached: false,
      clockId: `inc-7:${T0}:sev2`,
    });
    expect(reminderPlan(policy, s).map((n) => [n.offsetMinutes, n.at])).toEqual([
      [60, at(60)],
      [90, at(90)],
      [110, at(110)],
      [120, at(120)],
    ]);
  });

  it('an agreement after the breach does not undo it', () => {
    const s = state([start(1), { at: at(35), kind: 'downgrade', severity: 2, customerAgreed: true }], at(40));
    expect(s).toMatchObject({ severity: 1, incidentSeverity: 2, breached: true, breachAt: at(30) });
    expect(s.severityChanges.at(-1)?.effect).toBe('kept-breach');
  });

  it('a severity change after the response is recorded and restarts nothing', () => {
    const s = state(
      [start(2), { at: at(5), kind: 'response' }, { at: at(8), kind: 'severity', severity: 1 }],
      at(60),
    );
    expect(s).toMatchObject({ severity: 2, incidentSeverity: 1, status: 'responded', breached: false });
    expect(s.severityChanges.at(-1)?.effect).toBe('after-response');
  });
});

describe('a close (the incident resolved itself) ends the clock without a response', () => {
  const policy = resolveSlaPolicy({}, 'UTC').policy;
  const T0 = Date.UTC(2026, 11, 5, 3, 0);
  const MIN = 60_000;
  it('before the target: nothing is due after it, no breach, status closed', () => {
    const events = [
      { at: T0, kind: 'start' as const, severity: 1 as const },
      { at: T0 + 12 * MIN, kind: 'close' as const },
    ];
    const state = clockState(policy, events, T0 + 60 * MIN, '7');
    expect(state?.status).toBe('closed');
    expect(state?.breached).toBe(false);
    expect(state?.elapsedBusinessMs).toBe(12 * MIN);
    expect(reminderPlan(policy, state!).map((n) => n.offsetMinutes)).toEqual([10]);
  });
  it('after the target: the breach stays', () => {
    const events = [
      { at: T0, kind: 'start' as const, severity: 1 as const },
      { at: T0 + 31 * MIN, kind: 'close' as const },
    ];
    const state = clockState(policy, events, T0 + 60 * MIN, '7');
    expect(state?.status).toBe('breached');
    expect(state?.breachAt).toBe(T0 + 30 * MIN);
  });
});

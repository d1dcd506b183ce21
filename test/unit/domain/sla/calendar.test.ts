// Business-hours math at the edges: weekends, holidays, both DST changes in three zones, and
// 1 ms before, at and after the opening and the close.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMs,
  businessHoursCalendar,
  businessMsBetween,
  type ClockEvent,
  clockState,
  isCovered,
  nextBusinessDayClose,
  reminderPlan,
  resolveSlaPolicy,
} from '../../../../src/domain/sla/index.js';

const H = 3_600_000;
const localMs = (text: string, zone: string) => {
  const dt = DateTime.fromISO(text, { zone });
  if (!dt.isValid) throw new Error(`bad local time ${text}`);
  return dt.toMillis();
};
const show = (ms: number | undefined, zone: string) =>
  ms === undefined
    ? 'undefined'
    : DateTime.fromMillis(ms, { zone }).toFormat('ccc yyyy-MM-dd HH:mm:ss.SSS ZZ');

describe('adding business time', () => {
  it.each([
    // zone, holidays, clock start (local), counted hours, expected due (local, with offset)
    ['America/Los_Angeles', [], '2026-11-20T15:00', 8, 'Mon 2026-11-23 15:00:00.000 -08:00'], // across a weekend
    ['America/Los_Angeles', ['2026-11-26'], '2026-11-25T13:00', 8, 'Fri 2026-11-27 13:00:00.000 -08:00'], // Thanksgiving
    ['America/Los_Angeles', [], '2026-10-30T13:00', 8, 'Mon 2026-11-02 13:00:00.000 -08:00'], // fall back (PDT → PST)
    ['America/Los_Angeles', [], '2026-03-06T13:00', 8, 'Mon 2026-03-09 13:00:00.000 -07:00'], // spring forward
    ['Europe/London', [], '2026-03-27T16:00', 8, 'Mon 2026-03-30 16:00:00.000 +01:00'], // GMT → BST
    [
      'Europe/London',
      ['2026-12-25', '2026-12-28'],
      '2026-12-24T15:00',
      8,
      'Tue 2026-12-29 15:00:00.000 +00:00',
    ],
    ['Europe/London', [], '2026-10-23T12:00', 8, 'Mon 2026-10-26 12:00:00.000 +00:00'], // BST → GMT
    ['Australia/Sydney', ['2026-10-05'], '2026-10-02T12:00', 8, 'Tue 2026-10-06 12:00:00.000 +11:00'], // AEST → AEDT, Labour Day
    ['Australia/Sydney', [], '2026-04-03T16:00', 8, 'Mon 2026-04-06 16:00:00.000 +10:00'], // AEDT → AEST; 1 h Fri + 7 h Mon
  ])('in %s (holidays %j) from %s plus %d business hours → %s', (zone, holidays, from, hours, expected) => {
    const cal = businessHoursCalendar({ holidays }, zone);
    const due = addBusinessMs(cal, localMs(from, zone), hours * H);
    expect(show(due, zone)).toBe(expected);
    // and the other way round
    expect(businessMsBetween(cal, localMs(from, zone), due)).toBe(hours * H);
  });

  it('a full-day calendar counts the wall clock: 25 h on the fall-back Sunday, 23 h on spring-forward', () => {
    const allDay = businessHoursCalendar(
      { weekdays: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
      'America/Los_Angeles',
    );
    const la = (text: string) => localMs(text, 'America/Los_Angeles');
    expect(businessMsBetween(allDay, la('2026-11-01T00:00'), la('2026-11-02T00:00'))).toBe(25 * H);
    expect(businessMsBetween(allDay, la('2026-03-08T00:00'), la('2026-03-09T00:00'))).toBe(23 * H);
    expect(isCovered(allDay, la('2026-11-01T01:30') + H)).toBe(true); // the repeated 01:30
  });

  it('a sum reached exactly at the close is the close, not the next opening', () => {
    const cal = businessHoursCalendar({}, 'Europe/London');
    expect(
      show(addBusinessMs(cal, localMs('2026-11-30T09:00', 'Europe/London'), 8 * H), 'Europe/London'),
    ).toBe('Mon 2026-11-30 17:00:00.000 +00:00');
  });
});

describe('coverage boundaries: 1 ms before, at and after', () => {
  const zone = 'Australia/Sydney';
  const cal = businessHoursCalendar({}, zone);
  const open = localMs('2026-12-01T09:00', zone);
  const close = localMs('2026-12-01T17:00', zone);

  it('opening: 08:59:59.999 is outside, 09:00 and 09:00:00.001 inside', () => {
    expect([isCovered(cal, open - 1), isCovered(cal, open), isCovered(cal, open + 1)]).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('close: 16:59:59.999 is inside, 17:00 and 17:00:00.001 outside', () => {
    expect([isCovered(cal, close - 1), isCovered(cal, close), isCovered(cal, close + 1)]).toEqual([
      true,
      false,
      false,
    ]);
  });

  it('counted time around the opening and the close', () => {
    expect(businessMsBetween(cal, open - 1, open)).toBe(0);
    expect(businessMsBetween(cal, open - 1, open + 1)).toBe(1);
    expect(businessMsBetween(cal, close - 1, close + 1)).toBe(1);
    expect(businessMsBetween(cal, close, close + 1)).toBe(0);
  });

  it('a Sev3 clock started 1 ms before, at and after the close', () => {
    const { policy } = resolveSlaPolicy({}, zone);
    const dueOf = (t: number) => clockState(policy, [{ at: t, kind: 'start', severity: 3 }], t, 'inc-1')!;
    const before = dueOf(close - 1);
    const atClose = dueOf(close);
    const after = dueOf(close + 1);
    expect(before.outsideCoverage).toBe(false);
    expect(show(before.dueAt, zone)).toBe('Wed 2026-12-02 16:59:59.999 +11:00');
    expect([atClose.outsideCoverage, atClose.status]).toEqual([true, 'outside-coverage']);
    expect(show(atClose.dueAt, zone)).toBe('Wed 2026-12-02 17:00:00.000 +11:00');
    expect(show(after.dueAt, zone)).toBe('Wed 2026-12-02 17:00:00.000 +11:00');
  });

  it('a clock started before the opening counts nothing until it opens', () => {
    const { policy } = resolveSlaPolicy({}, zone);
    const events: ClockEvent[] = [{ at: open - H, kind: 'start', severity: 3 }];
    expect(clockState(policy, events, open, 'inc-1')!.elapsedBusinessMs).toBe(0);
    expect(clockState(policy, events, open + 1, 'inc-1')!.elapsedBusinessMs).toBe(1);
    expect(clockState(policy, events, open - 1, 'inc-1')!.remainingMs).toBe(8 * H);
  });
});

describe('next business day', () => {
  const zone = 'America/Los_Angeles';
  const cal = businessHoursCalendar({ holidays: ['2026-11-26'] }, zone);
  it.each([
    ['Mon 10:00 → Tue close', '2026-11-23T10:00', 'Tue 2026-11-24 17:00:00.000 -08:00'],
    ['Mon 20:00 (after hours) → Tue close', '2026-11-23T20:00', 'Tue 2026-11-24 17:00:00.000 -08:00'],
    ['Sat → Mon close', '2026-11-21T03:00', 'Mon 2026-11-23 17:00:00.000 -08:00'],
    ['Wed before Thanksgiving → Fri close', '2026-11-25T11:00', 'Fri 2026-11-27 17:00:00.000 -08:00'],
    ['Fri 23:59 → Mon close', '2026-11-27T23:59', 'Mon 2026-11-30 17:00:00.000 -08:00'],
  ])('%s', (_label, from, expected) => {
    expect(show(nextBusinessDayClose(cal, localMs(from, zone)), zone)).toBe(expected);
  });

  it('a Sev4 clock on Monday 10:00 is due Tuesday at the close: 7 + 8 counted hours', () => {
    const { policy } = resolveSlaPolicy({}, zone);
    const t = localMs('2026-11-23T10:00', zone);
    const s = clockState(policy, [{ at: t, kind: 'start', severity: 4 }], t, 'inc-4')!;
    expect(s.targetMs).toBe(15 * H);
    expect(show(s.dueAt, zone)).toBe('Tue 2026-11-24 17:00:00.000 -08:00');
  });
});

describe('a Sev3 under business hours across a weekend, a holiday and a DST change', () => {
  // Europe/London, Friday 2026-10-23 15:00 BST; the clocks go back on Sunday the 25th; Monday
  // the 26th is a holiday in this contract. 8 business hours: 2 h Friday, 6 h Tuesday.
  const zone = 'Europe/London';
  const { policy } = resolveSlaPolicy({ businessHours: { holidays: ['2026-10-26'] } }, zone);
  const t0 = localMs('2026-10-23T15:00', zone);
  const events: ClockEvent[] = [{ at: t0, kind: 'start', severity: 3 }];

  it('is due on Tuesday 15:00 GMT, with the reminders inside business hours', () => {
    const s = clockState(policy, events, t0, 'inc-3')!;
    expect(show(s.dueAt, zone)).toBe('Tue 2026-10-27 15:00:00.000 +00:00');
    expect(reminderPlan(policy, s).map((n) => `${n.offsetMinutes}m ${show(n.at, zone)}`)).toEqual([
      '240m Tue 2026-10-27 11:00:00.000 +00:00',
      '420m Tue 2026-10-27 14:00:00.000 +00:00',
      '480m Tue 2026-10-27 15:00:00.000 +00:00',
    ]);
  });

  it('stands still over the weekend and the holiday: visible as outside coverage, not as a pause', () => {
    const saturday = localMs('2026-10-24T12:00', zone);
    const holiday = localMs('2026-10-26T12:00', zone);
    const sat = clockState(policy, events, saturday, 'inc-3')!;
    const mon = clockState(policy, events, holiday, 'inc-3')!;
    expect([sat.status, sat.paused, sat.elapsedBusinessMs]).toEqual(['outside-coverage', undefined, 2 * H]);
    expect([mon.status, mon.elapsedBusinessMs, mon.remainingMs]).toEqual(['outside-coverage', 2 * H, 6 * H]);
    expect(mon.dueAt).toBe(sat.dueAt);
  });

  it('a pause on Friday evening that ends Tuesday at 10:00 moves the due instant by one business hour', () => {
    const paused: ClockEvent[] = [
      ...events,
      { at: localMs('2026-10-23T16:30', zone), kind: 'pause', reason: 'waiting-on-customer' },
      { at: localMs('2026-10-27T10:00', zone), kind: 'resume' },
    ];
    const s = clockState(policy, paused, localMs('2026-10-27T10:00', zone), 'inc-3')!;
    expect(s.elapsedBusinessMs).toBe(1.5 * H);
    expect(show(s.dueAt, zone)).toBe('Tue 2026-10-27 16:30:00.000 +00:00');
    expect(s.remainingMs).toBe(6.5 * H);
  });
});

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { cronProblem, nextOccurrence } from '../../../src/jobs/recurring.js';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat("yyyy-LL-dd'T'HH:mm ZZZZ");

describe('nextOccurrence', () => {
  it('every N: the next slot boundary strictly after the instant, keyed by slot', () => {
    const scope = { scope: 'all', recurrence: { every: 60_000 } };
    expect(nextOccurrence(scope, 120_000)).toEqual({ at: 180_000, key: 'all:3' });
    expect(nextOccurrence(scope, 179_999)).toEqual({ at: 180_000, key: 'all:3' });
  });

  it('daily at a local time keys the occurrence by its local date and time', () => {
    const zone = 'Asia/Singapore';
    const scope = { scope: 'nimbus', recurrence: { dailyAt: { hour: 9, minute: 0 }, zone } };
    const next = nextOccurrence(scope, at('2026-03-07T09:00:00', zone));
    expect(next?.key).toBe('nimbus:2026-03-08T09:00');
    expect(local(next?.at ?? 0, zone)).toBe('2026-03-08T09:00 GMT+8');
  });

  it.each([
    ['America/Los_Angeles', '2026-03-07T12:00', '2026-03-08T02:30', '2026-03-08T03:30 PDT'],
    ['Europe/London', '2026-03-28T12:00', '2026-03-29T01:30', '2026-03-29T02:30 GMT+1'],
    ['Australia/Sydney', '2026-10-03T12:00', '2026-10-04T02:30', '2026-10-04T03:30 GMT+11'],
  ])(
    'cron in %s: a wall time skipped by spring-forward runs at the first valid instant after it',
    (zone, from, _skipped, expected) => {
      const scope = { scope: 't', recurrence: { cron: '30 2 * * *', zone } };
      const next = nextOccurrence(scope, at(from, zone));
      expect(local(next?.at ?? 0, zone)).toBe(expected);
    },
  );

  it('cron in a zone across the autumn change: 09:00 local stays 09:00, 1 ms before, at and after', () => {
    const zone = 'Europe/London';
    const scope = { scope: 't', recurrence: { cron: '0 9 * * 1-5', zone } };
    const monday = at('2026-10-26T09:00', zone); // first weekday after clocks went back
    expect(nextOccurrence(scope, monday - 1)?.at).toBe(monday);
    expect(local(nextOccurrence(scope, monday)?.at ?? 0, zone)).toBe('2026-10-27T09:00 GMT');
    expect(local(nextOccurrence(scope, monday + 1)?.at ?? 0, zone)).toBe('2026-10-27T09:00 GMT');
    // Friday → Monday: the weekend is skipped.
    expect(local(nextOccurrence(scope, at('2026-10-30T09:00', zone))?.at ?? 0, zone)).toBe(
      '2026-11-02T09:00 GMT',
    );
  });

  it('reports a bad cron expression in plain words with an example', () => {
    expect(cronProblem('0 25 * * *')).toMatch(
      /not a valid cron expression \(hour: .*\); example: "0 9 \* \* 1-5"/,
    );
    expect(cronProblem('0 9 * * 1-5')).toBeUndefined();
  });
});

import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextDailyAt } from '../../../src/domain/recurrence.js';

const local = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm ZZ');

describe('nextDailyAt', () => {
  it.each([
    // zone, now (UTC), expected local wall time of the next 09:00
    ['America/Los_Angeles', '2026-03-07T18:00:00Z', '2026-03-08 09:00 -07:00'], // spring forward night
    ['America/Los_Angeles', '2026-10-31T18:00:00Z', '2026-11-01 09:00 -08:00'], // fall back night
    ['Europe/London', '2026-03-28T12:00:00Z', '2026-03-29 09:00 +01:00'],
    ['Europe/London', '2026-10-24T12:00:00Z', '2026-10-25 09:00 +00:00'],
    ['Australia/Sydney', '2026-04-04T12:00:00Z', '2026-04-05 09:00 +10:00'], // DST ends (AEDT → AEST)
    ['Australia/Sydney', '2026-10-03T12:00:00Z', '2026-10-04 09:00 +11:00'], // DST starts
    ['Asia/Singapore', '2026-11-26T00:59:59Z', '2026-11-26 09:00 +08:00'], // no DST; 08:59:59 local
  ])('in %s after %s → %s', (zone, now, expected) => {
    expect(local(nextDailyAt(Date.parse(now), zone, 9).at, zone)).toBe(expected);
  });

  it('is strictly after now: 1 ms before, at and after the boundary', () => {
    const at = Date.parse('2026-11-26T01:00:00Z'); // 09:00 in Singapore
    expect(nextDailyAt(at - 1, 'Asia/Singapore', 9).at).toBe(at);
    expect(nextDailyAt(at, 'Asia/Singapore', 9).at).toBe(at + 86_400_000);
    expect(nextDailyAt(at + 1, 'Asia/Singapore', 9).at).toBe(at + 86_400_000);
  });

  it('gives the local date of the occurrence (the idempotency key of a daily job)', () => {
    // 07:00 on the 27th in Sydney (AEDT): today's 09:00 is still ahead.
    expect(nextDailyAt(Date.parse('2026-11-26T20:00:00Z'), 'Australia/Sydney', 9).localDate).toBe(
      '2026-11-27',
    );
    expect(nextDailyAt(Date.parse('2026-11-26T23:00:00Z'), 'Australia/Sydney', 9).localDate).toBe(
      '2026-11-28',
    );
    expect(nextDailyAt(Date.parse('2026-11-26T20:00:00Z'), 'America/Los_Angeles', 9).localDate).toBe(
      '2026-11-27',
    );
  });

  it('resolves a wall time skipped by spring-forward to a real instant', () => {
    // 02:30 does not exist in Los Angeles on 2026-03-08.
    const next = nextDailyAt(Date.parse('2026-03-08T08:00:00Z'), 'America/Los_Angeles', 2, 30);
    expect(local(next.at, 'America/Los_Angeles')).toBe('2026-03-08 03:30 -07:00');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayPostAt, type PacingSettings, quietUntil } from '../../../../src/domain/outreach/pacing.js';
import { MIN } from './fixtures.js';

const night = { start: '22:00', end: '07:00', days: [] };
const london: PacingSettings = {
  timezone: 'Europe/London',
  quietHours: night,
  rateLimit: { max: 3, windowMinutes: 60 },
};
const sydney: PacingSettings = { ...london, timezone: 'Australia/Sydney' };
const at = (iso: string) => Date.parse(iso);
const quiet = (nextAllowedAt: number) => ({ ok: false, reason: 'quiet-hours', nextAllowedAt });

describe('quiet hours in Europe/London', () => {
  it('start and end: 1 ms before, at and after, on an ordinary winter night', () => {
    expect(mayPostAt(london, [], at('2026-01-09T21:59:59.999Z'))).toEqual({ ok: true });
    expect(mayPostAt(london, [], at('2026-01-09T22:00:00.000Z'))).toEqual(quiet(at('2026-01-10T07:00:00Z')));
    expect(mayPostAt(london, [], at('2026-01-10T06:59:59.999Z'))).toEqual(quiet(at('2026-01-10T07:00:00Z')));
    expect(mayPostAt(london, [], at('2026-01-10T07:00:00.000Z'))).toEqual({ ok: true });
  });

  it('spring forward (29 March 2026): quiet from 22:00 GMT until 07:00 BST, 8 hours later', () => {
    expect(mayPostAt(london, [], at('2026-03-28T22:00:00Z'))).toEqual(quiet(at('2026-03-29T06:00:00Z')));
    expect(mayPostAt(london, [], at('2026-03-29T05:59:59.999Z'))).toEqual(quiet(at('2026-03-29T06:00:00Z')));
    expect(mayPostAt(london, [], at('2026-03-29T06:00:00Z'))).toEqual({ ok: true });
  });

  it('fall back (25 October 2026): quiet from 22:00 BST until 07:00 GMT, 10 hours later', () => {
    expect(mayPostAt(london, [], at('2026-10-24T20:59:59.999Z'))).toEqual({ ok: true });
    expect(mayPostAt(london, [], at('2026-10-24T21:00:00Z'))).toEqual(quiet(at('2026-10-25T07:00:00Z')));
    expect(mayPostAt(london, [], at('2026-10-25T06:59:59.999Z'))).toEqual(quiet(at('2026-10-25T07:00:00Z')));
    expect(mayPostAt(london, [], at('2026-10-25T07:00:00Z'))).toEqual({ ok: true });
  });

  it('a quiet end inside the skipped hour ends at the transition (02:00 BST), the first later local time', () => {
    const early = { ...london, quietHours: { start: '22:00', end: '01:30', days: [] } };
    expect(mayPostAt(early, [], at('2026-03-29T00:30:00Z'))).toEqual(quiet(at('2026-03-29T01:00:00Z')));
    expect(mayPostAt(early, [], at('2026-03-29T00:59:59.999Z'))).toEqual(quiet(at('2026-03-29T01:00:00Z')));
    expect(mayPostAt(early, [], at('2026-03-29T01:00:00Z'))).toEqual({ ok: true });
  });

  it('a quiet end inside the repeated hour: 01:00–01:30 is quiet twice', () => {
    const early = { ...london, quietHours: { start: '22:00', end: '01:30', days: [] } };
    expect(mayPostAt(early, [], at('2026-10-25T00:15:00Z'))).toEqual(quiet(at('2026-10-25T00:30:00Z'))); // 01:15 BST
    expect(mayPostAt(early, [], at('2026-10-25T00:45:00Z'))).toEqual({ ok: true }); // 01:45 BST
    expect(mayPostAt(early, [], at('2026-10-25T01:15:00Z'))).toEqual(quiet(at('2026-10-25T01:30:00Z'))); // 01:15 GMT
  });

  it('a quiet day runs to the next local midnight, then into that night’s quiet hours', () => {
    const sundays = { ...london, quietHours: { ...night, days: ['sun' as const] } };
    // Sunday 29 March, 12:00 BST → Monday 00:00 BST is inside 22:00–07:00 → Monday 07:00 BST.
    expect(mayPostAt(sundays, [], at('2026-03-29T11:00:00Z'))).toEqual(quiet(at('2026-03-30T06:00:00Z')));
    expect(quietUntil(sundays.quietHours, 'Europe/London', at('2026-03-29T11:00:00Z'))).toBe(
      at('2026-03-29T23:00:00Z'),
    );
  });
});

describe('quiet hours in Australia/Sydney', () => {
  it('DST ends (5 April 2026): quiet from 22:00 AEDT until 07:00 AEST', () => {
    expect(mayPostAt(sydney, [], at('2026-04-04T10:59:59.999Z'))).toEqual({ ok: true });
    expect(mayPostAt(sydney, [], at('2026-04-04T11:00:00Z'))).toEqual(quiet(at('2026-04-04T21:00:00Z')));
    expect(mayPostAt(sydney, [], at('2026-04-04T20:59:59.999Z'))).toEqual(quiet(at('2026-04-04T21:00:00Z')));
    expect(mayPostAt(sydney, [], at('2026-04-04T21:00:00Z'))).toEqual({ ok: true });
  });

  it('DST starts (4 October 2026): quiet from 22:00 AEST until 07:00 AEDT', () => {
    expect(mayPostAt(sydney, [], at('2026-10-03T11:59:59.999Z'))).toEqual({ ok: true });
    expect(mayPostAt(sydney, [], at('2026-10-03T12:00:00Z'))).toEqual(quiet(at('2026-10-03T20:00:00Z')));
    expect(mayPostAt(sydney, [], at('2026-10-03T19:59:59.999Z'))).toEqual(quiet(at('2026-10-03T20:00:00Z')));
    expect(mayPostAt(sydney, [], at('2026-10-03T20:00:00Z'))).toEqual({ ok: true });
  });
});

describe('rate limit', () => {
  const open: PacingSettings = { timezone: 'UTC', rateLimit: { max: 3, windowMinutes: 60 } };
  const now = at('2026-01-07T12:00:00Z');

  it('allows up to max − 1 earlier messages in the window; at max, waits until the oldest leaves it', () => {
    expect(mayPostAt(open, [now - 50 * MIN, now - 10 * MIN], now)).toEqual({ ok: true });
    const sent = [now - 50 * MIN, now - 40 * MIN, now - 10 * MIN];
    expect(mayPostAt(open, sent, now)).toEqual({
      ok: false,
      reason: 'rate-limit',
      nextAllowedAt: now + 10 * MIN,
    });
    expect(mayPostAt(open, sent, now + 10 * MIN - 1)).toMatchObject({ ok: false });
    expect(mayPostAt(open, sent, now + 10 * MIN)).toEqual({ ok: true });
    // A message sent exactly one window ago has left it.
    expect(mayPostAt(open, [now - 60 * MIN, now - 40 * MIN, now - 10 * MIN], now)).toEqual({ ok: true });
  });

  it('with 5 sent and max 3, waits for the third-newest to leave', () => {
    const sent = [50, 45, 40, 20, 10].map((m) => now - m * MIN);
    expect(mayPostAt(open, sent, now)).toEqual({
      ok: false,
      reason: 'rate-limit',
      nextAllowedAt: now + 20 * MIN,
    });
  });

  it('a rate limit that ends inside quiet hours waits for the end of the quiet hours', () => {
    const t = at('2026-01-09T21:50:00Z'); // London, winter: 21:50 GMT
    const sent = [t - 45 * MIN, t - 30 * MIN, t - 5 * MIN]; // frees at 22:05: quiet
    expect(mayPostAt(london, sent, t)).toEqual({
      ok: false,
      reason: 'rate-limit',
      nextAllowedAt: at('2026-01-10T07:00:00Z'),
    });
  });
});

describe('properties over a year of instants', () => {
  const zones = ['Europe/London', 'Australia/Sydney', 'America/Los_Angeles', 'Asia/Singapore'];
  const year = { min: at('2026-01-01T00:00:00Z'), max: at('2027-01-01T00:00:00Z') };
  const hhmm = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

  it('nextAllowedAt is the earliest allowed instant: allowed at it, not 1 ms before; ok means allowed now', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        hhmm,
        hhmm,
        fc.integer(year),
        fc.array(fc.integer({ min: 0, max: 120 * MIN }), { maxLength: 6 }),
        (timezone, start, end, now, ago) => {
          fc.pre(start !== end);
          const settings: PacingSettings = {
            timezone,
            quietHours: { start, end, days: [] },
            rateLimit: { max: 2, windowMinutes: 60 },
          };
          const sent = ago.map((a) => now - a);
          const decision = mayPostAt(settings, sent, now);
          if (decision.ok) return;
          expect(decision.nextAllowedAt).toBeGreaterThan(now);
          expect(mayPostAt(settings, sent, decision.nextAllowedAt)).toEqual({ ok: true });
          expect(mayPostAt(settings, sent, decision.nextAllowedAt - 1).ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

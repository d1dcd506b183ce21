import { describe, expect, it } from 'vitest';
import { inWorkingHours, onCallLoad, parseWhen, type Shift } from '../../../../src/domain/oncall/index.js';

const at = (iso: string) => Date.parse(iso);
const shift = (userId: string, from: string, to: string): Shift => ({
  level: 'primary',
  start: at(from),
  end: at(to),
  userId,
  source: 'layer',
  layer: 'regional:US',
  layerKind: 'regional',
  region: 'US',
});

describe('onCallLoad', () => {
  it('counts hours, off-hours and weekend hours in each person’s own zone, levels once', () => {
    const report = onCallLoad({
      from: at('2026-12-04T00:00:00Z'),
      to: at('2026-12-07T00:00:00Z'),
      // Friday 08:00–17:00 Los Angeles (16:00–01:00 UTC), then Saturday 00:00–06:00 local.
      shifts: [
        shift('U1', '2026-12-04T16:00:00Z', '2026-12-05T01:00:00Z'),
        { ...shift('U1', '2026-12-04T20:00:00Z', '2026-12-04T22:00:00Z'), level: 'secondary' },
        shift('U1', '2026-12-05T08:00:00Z', '2026-12-05T14:00:00Z'),
      ],
      pages: [
        { userId: 'U1', incidentId: 1, severity: 1, at: at('2026-12-04T18:00:00Z') },
        { userId: 'U1', incidentId: 1, severity: 1, at: at('2026-12-05T10:00:00Z') },
        { userId: 'U1', incidentId: 2, severity: 3, at: at('2026-12-05T11:00:00Z') },
      ],
      people: ['U1', 'U2'],
      zoneOf: () => 'America/Los_Angeles',
    });
    expect(report.engineers[0]).toEqual({
      userId: 'U1',
      hours: 15,
      offHoursHours: 7, // Friday 08:00–09:00 and Saturday 00:00–06:00 local
      weekendHours: 6,
      pages: 3,
      offHoursPages: 2,
      sev1s: 1,
    });
    expect(report.engineers[1]).toMatchObject({ userId: 'U2', hours: 0 });
    expect(report.spread).toEqual({ minHours: 0, maxHours: 15, maxOverMean: 2 });
  });

  it('reads working hours on the local wall clock across DST (London, 31 March)', () => {
    expect(inWorkingHours(at('2026-03-30T08:30:00Z'), 'Europe/London')).toBe(true); // 09:30 BST
    expect(inWorkingHours(at('2026-03-27T08:30:00Z'), 'Europe/London')).toBe(false); // 08:30 GMT
  });
});

describe('parseWhen', () => {
  const now = at('2026-12-02T01:00:00Z'); // 09:00 in Singapore
  it('reads now, wall times, tomorrow, ISO dates in the asker’s zone and durations after a start', () => {
    expect(parseWhen('now', now, 'Asia/Singapore')).toBe(now);
    expect(parseWhen('18:00', now, 'Asia/Singapore')).toBe(at('2026-12-02T10:00:00Z'));
    expect(parseWhen('08:00', now, 'Asia/Singapore')).toBe(at('2026-12-03T00:00:00Z')); // past today → tomorrow
    expect(parseWhen('tomorrow 08:00', now, 'Asia/Singapore')).toBe(at('2026-12-03T00:00:00Z'));
    expect(parseWhen('2026-12-05T08:00', now, 'America/Los_Angeles')).toBe(at('2026-12-05T16:00:00Z'));
    expect(parseWhen('+4h', now, 'UTC', now)).toBe(now + 4 * 3_600_000);
  });

  it('rejects what it cannot read', () => {
    for (const text of ['tomorrowish', '25:00', '2026-13-01', '+4h', ''])
      expect(parseWhen(text, now, 'UTC')).toBeUndefined();
  });

  it('follows the engine’s rule for a skipped local time: forward (Los Angeles, 8 March 02:30)', () => {
    expect(parseWhen('2026-03-08T02:30', now, 'America/Los_Angeles')).toBe(at('2026-03-08T10:30:00Z'));
  });
});

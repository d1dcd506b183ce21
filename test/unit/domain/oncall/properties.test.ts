// Properties over a year of random instants (2026, both DST changes in every example zone).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coverageGaps,
  LEVELS,
  type OnCall,
  type Override,
  onCallAt,
  shifts,
} from '../../../../src/domain/oncall/index.js';
import { exampleSchedule, HOUR, YEAR_2026 } from './fixtures.js';

const schedule = exampleSchedule();
const instant = fc.integer({ min: YEAR_2026.from, max: YEAR_2026.to - 1 });
const runs = { numRuns: 300 };
const rosterUsers = [
  ...new Set(
    schedule.teams.flatMap((team) => [
      ...Object.values(team.regions).flatMap((r) => [
        ...(r.primary?.users ?? []),
        ...(r.secondary?.users ?? []),
      ]),
      ...(team.weekend?.primary?.users ?? []),
    ]),
  ),
];

describe('the example schedule tiles the day', () => {
  it('has no coverage gap at any level over all of 2026', () => {
    expect(coverageGaps(schedule, YEAR_2026.from, YEAR_2026.to)).toEqual([]);
  });

  it('names exactly one primary (and one secondary) at every random instant, with or without a tenant', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(undefined, 'nimbus', 'helix-ai'), (t, tenantId) => {
        for (const level of LEVELS) {
          const on = onCallAt(schedule, [], 'vaas', level, t, { tenantId });
          expect(on?.userId).toMatch(/^U/);
          expect(on!.shiftStart).toBeLessThanOrEqual(t);
          expect(on!.shiftEnd).toBeGreaterThan(t);
        }
      }),
      runs,
    );
  });
});

describe('shifts()', () => {
  it('is ordered and contiguous, and covers the whole range', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10 * 24 * HOUR }), (from, length) => {
        for (const list of Object.values(shifts(schedule, [], 'vaas', from, from + length))) {
          expect(list[0]!.start).toBeLessThanOrEqual(from);
          expect(list[list.length - 1]!.end).toBeGreaterThanOrEqual(from + length);
          for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBe(list[i - 1]!.end);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('agrees with onCallAt: the shift containing an instant is the one onCallAt reports', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 72 * HOUR }),
        fc.integer({ min: 1, max: 72 * HOUR }),
        (t, before, after) => {
          const list = shifts(schedule, [], 'vaas', t - before, t + after).primary;
          const containing = list.find((s) => s.start <= t && t < s.end);
          const on = onCallAt(schedule, [], 'vaas', 'primary', t);
          expect(containing).toMatchObject({
            userId: on?.userId,
            source: on?.source,
            start: on?.shiftStart,
            end: on?.shiftEnd,
          });
          expect(containing?.source !== 'gap' && containing?.layer).toBe(on?.layer);
        },
      ),
      runs,
    );
  });
});

describe('overrides', () => {
  const override = (from: number, length: number, replaces?: string): Override => ({
    id: 'ov-1',
    team: 'vaas',
    level: 'primary',
    userId: 'U0STANDIN1',
    from,
    to: from + length,
    replaces,
  });
  // Outside an override the schedule answers as before; only the shift may be cut where the
  // override starts or ends (the person resumes there).
  const expectSameAsBase = (on: OnCall | undefined, base: OnCall | undefined) => {
    expect(on && { ...on, shiftStart: 0, shiftEnd: 0 }).toEqual(
      base && { ...base, shiftStart: 0, shiftEnd: 0 },
    );
    if (on && base) {
      expect(on.shiftStart).toBeGreaterThanOrEqual(base.shiftStart);
      expect(on.shiftEnd).toBeLessThanOrEqual(base.shiftEnd);
    }
  };
  const window = fc.record({
    from: fc.integer({ min: YEAR_2026.from, max: YEAR_2026.to - 1 }),
    length: fc.integer({ min: 1, max: 5 * 24 * HOUR }),
    offset: fc.integer({ min: -2 * 24 * HOUR, max: 7 * 24 * HOUR }),
  });

  it('puts the stand-in on call exactly while the override covers the instant', () => {
    fc.assert(
      fc.property(window, ({ from, length, offset }) => {
        const t = from + offset;
        const on = onCallAt(schedule, [override(from, length)], 'vaas', 'primary', t);
        const base = onCallAt(schedule, [], 'vaas', 'primary', t);
        if (t >= from && t < from + length)
          expect(on).toMatchObject({ userId: 'U0STANDIN1', source: 'override' });
        else expectSameAsBase(on, base);
      }),
      runs,
    );
  });

  it('with replaces, only while the replaced person would be on', () => {
    fc.assert(
      fc.property(window, fc.constantFrom(...rosterUsers), ({ from, length, offset }, replaced) => {
        const t = from + offset;
        const on = onCallAt(schedule, [override(from, length, replaced)], 'vaas', 'primary', t);
        const base = onCallAt(schedule, [], 'vaas', 'primary', t);
        if (t >= from && t < from + length && base?.userId === replaced) {
          expect(on).toMatchObject({ userId: 'U0STANDIN1', source: 'override', replaced, layer: base.layer });
        } else {
          expectSameAsBase(on, base);
        }
      }),
      runs,
    );
  });

  it('never touches the other level', () => {
    fc.assert(
      fc.property(window, ({ from, length, offset }) => {
        const t = from + offset;
        expect(onCallAt(schedule, [override(from, length)], 'vaas', 'secondary', t)).toEqual(
          onCallAt(schedule, [], 'vaas', 'secondary', t),
        );
      }),
      { numRuns: 50 },
    );
  });
});

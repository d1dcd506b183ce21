import { describe, expect, it } from 'vitest';
import { capacityPercent, detectCapacity, leastSquares } from '../../../../src/domain/outreach/capacity.js';
import { DAY, defaults, event, noIncidents, T0 } from './fixtures.js';

const settings = defaults.detectors.capacity;
const sample = (day: number, pct: number, overrides = {}) =>
  event(T0 + day * DAY, {
    category: 'capacity',
    componentKind: 'capacity',
    componentId: 'pool-main',
    name: 'CAPACITY_HIGH',
    summary: `pool-main usage at ${pct}% (warning threshold 70%)`,
    ...overrides,
  });
const run = (events: ReturnType<typeof event>[], now: number, s = settings) =>
  detectCapacity(s, { ...noIncidents, events }, now);

describe('capacityPercent', () => {
  it('reads a percentage label first, then the first "NN %" of the summary; nonsense is no sample', () => {
    expect(capacityPercent({ labels: { usage_pct: '81.5' }, summary: 'at 12%' })).toBe(81.5);
    expect(capacityPercent({ labels: {}, summary: 'pool usage at 87 % (threshold 85%)' })).toBe(87);
    expect(capacityPercent({ labels: {}, summary: '77 percent used' })).toBe(77);
    expect(capacityPercent({ labels: { capacity_pct: '140' }, summary: 'no number' })).toBeUndefined();
    expect(capacityPercent({ labels: { capacity_pct: '' }, summary: 'capacity high' })).toBeUndefined();
  });
});

describe('leastSquares', () => {
  it('matches a hand-computed regression', () => {
    // x = 0..4, y = 70, 73, 73, 76, 78: x̄ = 2, ȳ = 74, Sxy = 19, Sxx = 10, Syy = 38
    // slope 1.9, intercept 70.2, r² = 19² / (10 · 38) = 0.95
    const fit = leastSquares([70, 73, 73, 76, 78].map((y, x) => ({ t: x, y })));
    expect(fit?.slope).toBeCloseTo(1.9, 12);
    expect(fit?.intercept).toBeCloseTo(70.2, 12);
    expect(fit?.r2).toBeCloseTo(0.95, 12);
  });

  it('is undefined without two distinct times', () => {
    expect(leastSquares([{ t: 5, y: 1 }])).toBeUndefined();
    expect(
      leastSquares([
        { t: 5, y: 1 },
        { t: 5, y: 2 },
      ]),
    ).toBeUndefined();
  });
});

describe('capacity trend detector', () => {
  it('projects the hand-computed crossing date: 1.9 %/day from 70.2 % reaches 90 % after 19.8/1.9 days', () => {
    const events = [70, 73, 73, 76, 78].map((pct, day) => sample(day, pct));
    const now = T0 + 4 * DAY;
    const [finding, ...rest] = run(events, now);
    expect(rest).toEqual([]);
    const projectedAt = Math.round(T0 + (19.8 / 1.9) * DAY);
    expect(finding).toMatchObject({
      detector: 'capacity',
      category: 'capacity',
      key: `capacity:nimbus:sjc-obj-01:pool-main:${Math.floor(now / (14 * DAY)) * 14 * DAY}`,
      facts: { thresholdPct: 90, latestPct: 78, samples: 5, fittedPct: 77.8, spanHours: 96 },
    });
    expect(finding?.facts.projectedAt).toBeCloseTo(projectedAt, -1);
    expect(finding?.facts.slopePctPerDay).toBeCloseTo(1.9, 9);
    expect(finding?.facts.daysToThreshold).toBe(6.4); // 10.42 − 4
  });

  it('reports at the horizon boundary and not 1 ms beyond it', () => {
    // 1 %/day, 76 % at now: 90 % exactly 14 days later.
    const events = [72, 73, 74, 75, 76].map((pct, i) => sample(i, pct));
    const now = T0 + 4 * DAY;
    expect(run(events, now)).toHaveLength(1);
    expect(run(events, now, { ...settings, horizonDays: 13 })).toEqual([]);
    // The same line, fitted one ms "earlier": the crossing is 14 days and 1 ms after now.
    expect(run(events, now - 1)).toEqual([]);
  });

  it('needs minSamples samples over minSpanHours, and a rising line', () => {
    expect(
      run(
        [70, 74, 78, 82].map((p, i) => sample(i, p)),
        T0 + 3 * DAY,
      ),
    ).toEqual([]);
    const sameDay = [70, 74, 78, 82, 86].map((p, i) => sample(i / 6, p)); // 5 samples 4 h apart: a 16 h span
    expect(run(sameDay, T0 + DAY)).toEqual([]);
    expect(
      run(
        [88, 87, 86, 85, 84].map((p, i) => sample(i, p)),
        T0 + 4 * DAY,
      ),
    ).toEqual([]);
  });

  it('already above the threshold projects to now; samples of different pools are separate fits', () => {
    const events = [
      ...[86, 88, 90, 92, 94].map((p, i) => sample(i, p)),
      ...[10, 10, 11, 10, 10].map((p, i) => sample(i, p, { componentId: 'pool-scratch' })),
    ];
    const findings = run(events, T0 + 4 * DAY);
    expect(findings.map((f) => [f.facts.componentId, f.facts.projectedAt])).toEqual([
      ['pool-main', T0 + 4 * DAY],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { detectPerformance, dominantPeriod, latencyMs } from '../../../../src/domain/outreach/performance.js';
import { DAY, defaults, event, HOUR, MIN, noIncidents, T0 } from './fixtures.js';

const settings = defaults.detectors.performance;
const NOW = T0 + 4 * DAY; // today = (NOW − 24 h, NOW]; the prior 3 days are the 3 windows before it

/** A latency spike: firing then resolved 2 minutes later. */
const spike = (at: number, latency: number) => [
  event(at, {
    category: 'performance',
    componentKind: 'performance',
    componentId: 'lon-ckpt-01',
    cluster: 'lon-ckpt-01',
    name: 'HIGH_WRITE_LATENCY',
    summary: `write latency ${latency} ms above SLO`,
  }),
  event(at + 2 * MIN, {
    category: 'performance',
    componentKind: 'performance',
    componentId: 'lon-ckpt-01',
    cluster: 'lon-ckpt-01',
    name: 'HIGH_WRITE_LATENCY',
    status: 'resolved',
    summary: 'write latency back to normal',
  }),
];

/** A spike train every `periodMin` minutes during the 6 busiest hours of the window ending at `end`. */
const train = (end: number, periodMin: number, latency: number, hours = 6) =>
  Array.from(
    { length: Math.floor((hours * 60) / periodMin) },
    (_, i) => end - 8 * HOUR + i * periodMin * MIN,
  ).flatMap((t) => spike(t, latency));

const days = (latencies: [number, number, number, number], period = [12, 12, 12, 12]) =>
  latencies.flatMap((latency, i) => train(NOW - (3 - i) * DAY, period[i] as number, latency));

const run = (events: ReturnType<typeof event>[], now = NOW) =>
  detectPerformance(settings, { ...noIncidents, events }, now);

describe('latencyMs', () => {
  it('reads latency_ms, else the first "NN ms|s|us" of the summary', () => {
    expect(latencyMs({ labels: { latency_ms: '42' }, summary: '9 ms' })).toBe(42);
    expect(latencyMs({ labels: {}, summary: 'p99 latency 1.5 s' })).toBe(1500);
    expect(latencyMs({ labels: {}, summary: 'latency 250us' })).toBe(0.25);
    expect(latencyMs({ labels: {}, summary: 'latency high' })).toBeUndefined();
  });
});

describe('dominantPeriod', () => {
  it('finds a 12-minute cadence, also with a missed spike (a double gap)', () => {
    const times = [0, 12, 24, 36, 60, 72, 84].map((m) => m * MIN);
    expect(dominantPeriod(times, settings)).toEqual({ periodMs: 12 * MIN, regularity: 1 });
  });

  it('rejects a cadence outside 10–15 minutes, and irregular arrivals', () => {
    expect(
      dominantPeriod(
        [0, 5, 10, 15, 20, 25].map((m) => m * MIN),
        settings,
      ),
    ).toBeUndefined();
    expect(
      dominantPeriod(
        [0, 30, 60, 90].map((m) => m * MIN),
        settings,
      ),
    ).toBeUndefined();
    expect(
      dominantPeriod(
        [0, 12, 19, 40, 47, 61, 66].map((m) => m * MIN),
        settings,
      ),
    ).toBeUndefined();
  });
});

describe('checkpoint-cadence performance detector', () => {
  it('a 12-minute spike train whose latency doubled against the previous 3 days is a finding', () => {
    const findings = run(days([20, 20, 20, 40]));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      detector: 'performance',
      category: 'performance',
      cluster: 'lon-ckpt-01',
      key: `performance:nimbus:lon-ckpt-01:${NOW}`,
      facts: {
        periodMinutes: 12,
        spikes: 30,
        baselineSpikes: 30,
        magnitudeMs: 40,
        baselineMagnitudeMs: 20,
        worse: 'magnitude',
      },
    });
    expect(findings[0]?.observation).toBe(
      'latency spikes on cluster lon-ckpt-01 every ~12 minutes (the checkpoint cadence) are higher than on the previous 3 days',
    );
  });

  it('the same train every day is no finding; neither is latency just below 1.5 × the baseline', () => {
    expect(run(days([20, 20, 20, 20]))).toEqual([]);
    expect(run(days([20, 20, 20, 29.9]))).toEqual([]);
    expect(run(days([20, 20, 20, 30]))).toHaveLength(1);
  });

  it('more frequent spikes (12 minutes instead of every other one) are worse by frequency', () => {
    // Prior days: every 24 minutes — outside the cadence range, but 15 spikes/day is the baseline.
    const findings = run(days([20, 20, 20, 20], [24, 24, 24, 12]));
    expect(findings.map((f) => [f.facts.worse, f.facts.spikes, f.facts.baselineSpikes])).toEqual([
      ['frequency', 30, 15],
    ]);
  });

  it('a cadence that did not exist on the previous days counts as worse', () => {
    expect(run(train(NOW, 12, 20)).map((f) => f.facts.worse)).toEqual(['frequency']);
  });

  it('too few spikes today is no finding', () => {
    expect(run(train(NOW, 12, 40, 1))).toEqual([]); // 5 spikes < minSpikes 6
  });
});

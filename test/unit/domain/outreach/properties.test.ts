// Properties of the detectors as a whole, over random alarm streams.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, COMPONENT_KINDS } from '../../../../src/domain/alarms/types.js';
import { lookbackMs, runDetectors } from '../../../../src/domain/outreach/detect.js';
import type { OutreachAlarmEvent, OutreachStream } from '../../../../src/domain/outreach/types.js';
import { DAY, defaults, incident, MIN, T0 } from './fixtures.js';

const NOW = T0 + 4 * DAY;

const anyEvent: fc.Arbitrary<OutreachAlarmEvent> = fc.record({
  // Dense in the last hours (recurring, performance) and spread over days (capacity, baselines).
  at: fc.oneof(
    fc.integer({ min: NOW - 3 * 60 * MIN, max: NOW + 10 * MIN }),
    fc.integer({ min: T0, max: NOW }),
  ),
  tenantId: fc.constantFrom('nimbus', 'helix-ai'),
  cluster: fc.constantFrom('sjc-obj-01', 'lon-ckpt-01'),
  category: fc.constantFrom(...CATEGORIES),
  componentKind: fc.constantFrom(...COMPONENT_KINDS),
  componentId: fc.constantFrom('cnode-1', 'cnode-2/eth0', 'dnode-3', 'pool-main', 'cnode-4/eth3', ''),
  name: fc.constantFrom('NIC_LINK_DOWN', 'CAPACITY_HIGH', 'HIGH_LATENCY'),
  status: fc.constantFrom('firing' as const, 'resolved' as const),
  summary: fc.oneof(
    fc.string(),
    fc.integer({ min: 0, max: 120 }).map((n) => `usage at ${n}%`),
    fc.integer({ min: 1, max: 500 }).map((n) => `write latency ${n} ms`),
  ),
  labels: fc.dictionary(fc.constantFrom('usage_pct', 'latency_ms', 'node', 'customer_impact'), fc.string(), {
    maxKeys: 2,
  }),
});

const base = { tenantId: 'nimbus', cluster: 'sjc-obj-01', labels: {} };
// Events shaped like what each detector looks for, so random streams reach every detector.
const capacitySample = fc
  .record({
    at: fc.integer({ min: T0, max: NOW }),
    pct: fc.integer({ min: 60, max: 95 }),
  })
  .map(
    ({ at, pct }): OutreachAlarmEvent => ({
      ...base,
      at,
      category: 'capacity',
      componentKind: 'capacity',
      componentId: 'pool-main',
      name: 'CAPACITY_HIGH',
      status: 'firing',
      summary: `usage at ${pct + Math.floor(((at - T0) / DAY) * 5)}%`,
    }),
  );
// A train of checkpoint spikes (firing, resolved 2 minutes later) today or on one of the previous days.
const latencyTrain = fc
  .record({
    periodMin: fc.integer({ min: 9, max: 16 }),
    n: fc.integer({ min: 2, max: 60 }),
    daysBack: fc.integer({ min: 0, max: 3 }),
    ms: fc.integer({ min: 5, max: 80 }),
  })
  .map(({ periodMin, n, daysBack, ms }): OutreachAlarmEvent[] =>
    Array.from({ length: n }, (_, i) => NOW - daysBack * DAY - i * periodMin * MIN).flatMap((at) => {
      const spike: OutreachAlarmEvent = {
        ...base,
        cluster: 'perf-01',
        at,
        category: 'performance',
        componentKind: 'performance',
        componentId: 'perf',
        name: 'HIGH_LATENCY',
        status: 'firing',
        summary: `write latency ${ms} ms`,
      };
      return [spike, { ...spike, at: at + 2 * MIN, status: 'resolved' as const }];
    }),
  );
const nicFlap = fc
  .record({
    at: fc.integer({ min: NOW - 3 * 60 * MIN, max: NOW }),
    status: fc.constantFrom('firing' as const, 'resolved' as const),
    node: fc.constantFrom('cnode-1', 'cnode-2', 'cnode-3'),
  })
  .map(
    ({ at, status, node }): OutreachAlarmEvent => ({
      ...base,
      at,
      category: 'network',
      componentKind: 'nic',
      componentId: `${node}/eth3`,
      name: 'NIC_LINK_DOWN',
      status,
      summary: 'link down',
    }),
  );
const one = (a: fc.Arbitrary<OutreachAlarmEvent>) => a.map((e) => [e]);
const eventsArb = fc.oneof(one(anyEvent), one(capacitySample), one(nicFlap));

const streamArb = fc.record({
  events: fc
    .tuple(fc.array(eventsArb, { maxLength: 200, size: 'large' }), fc.array(latencyTrain, { maxLength: 3 }))
    .map(([groups, trains]) => [...groups, ...trains].flat()),
  severity: fc.constantFrom(1 as const, 2 as const, 3 as const),
});

// Tuned down so random streams hit every detector often.
const eager = structuredClone(defaults.detectors);
eager.recurring.componentCount = 2;
eager.recurring.nodeCount = 2;
eager.capacity.minSamples = 2;
eager.capacity.minSpanHours = 1;
eager.performance.minSpikes = 3;

describe('detector properties over random streams', () => {
  it('never throw, and give the same findings (and keys) for any order of the input', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(streamArb, fc.integer(), ({ events, severity }, seed) => {
        const stream: OutreachStream = { incidents: [incident({ severity, openedAt: NOW - MIN })], events };
        const findings = runDetectors(eager, stream, NOW);
        for (const f of findings) seen.add(f.detector);
        const shuffled = [...events]
          .map((e, i) => ({ e, k: Math.imul(i + 1, seed | 1) >>> 0 }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.e);
        expect(runDetectors(eager, { ...stream, events: shuffled }, NOW)).toEqual(findings);
        expect(new Set(findings.map((f) => f.key)).size).toBe(findings.length);
      }),
      { numRuns: 300 },
    );
    // The generators are shaped so that every detector is exercised, not only the empty path.
    expect([...seen].sort()).toEqual(['capacity', 'impact', 'performance', 'recurring']);
  });

  it('with every detector switched off there are no findings', () => {
    const off = structuredClone(eager);
    for (const d of Object.values(off)) d.enabled = false;
    fc.assert(
      fc.property(streamArb, ({ events }) => {
        expect(runDetectors(off, { incidents: [incident()], events }, NOW)).toEqual([]);
      }),
      { numRuns: 50 },
    );
    expect(lookbackMs(off)).toBe(0);
  });

  it('asks for enough history: twice the recurring window, the performance baseline, the capacity lookback', () => {
    expect(lookbackMs(defaults.detectors)).toBe(14 * DAY); // capacity lookback dominates
    const noCapacity = {
      ...defaults.detectors,
      capacity: { ...defaults.detectors.capacity, enabled: false },
    };
    expect(lookbackMs(noCapacity)).toBe(3 * DAY + DAY); // 3 prior days + today's 24 h window
  });
});

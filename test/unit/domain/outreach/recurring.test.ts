import { describe, expect, it } from 'vitest';
import { detectRecurring } from '../../../../src/domain/outreach/recurring.js';
import { defaults, event, flap, HOUR, MIN, noIncidents, T0 } from './fixtures.js';

const settings = defaults.detectors.recurring;
const run = (events: ReturnType<typeof event>[], now: number) =>
  detectRecurring(settings, { ...noIncidents, events }, now);
const flaps = (times: number[], overrides = {}) => times.flatMap((t) => flap(t, overrides));

describe('recurring trouble: one component', () => {
  it('a NIC flapping 5 times within an hour is one finding keyed to its aligned hour', () => {
    const events = flaps([0, 10, 20, 30, 40].map((m) => T0 + m * MIN));
    const findings = run(events, T0 + 50 * MIN);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      detector: 'recurring',
      tenantId: 'nimbus',
      category: 'network',
      cluster: 'sjc-obj-01',
      key: `recurring:nimbus:sjc-obj-01:cnode-4/eth3:${T0}`,
      facts: { kind: 'component', count: 5, firstAt: T0, at: T0 + 40 * MIN, windowStart: T0 },
    });
    expect(findings[0]?.observation).toBe(
      'nic cnode-4/eth3 on cluster sjc-obj-01 alarmed 5 times within 1 h',
    );
  });

  it('4 flaps in an hour, or 5 spread over an hour and 1 ms, are below the threshold', () => {
    expect(run(flaps([0, 10, 20, 30].map((m) => T0 + m * MIN)), T0 + HOUR)).toEqual([]);
    // 5 firing transitions; the first is exactly one window before the last, so it has left it.
    const spread = flaps([0, 15, 30, 45, 60].map((m) => T0 + m * MIN));
    expect(run(spread, T0 + 2 * HOUR)).toEqual([]);
  });

  it('more flaps in the same hour keep the same key; flapping on into the next hour adds one key per hour', () => {
    const first = flaps([0, 10, 20, 30, 40, 50].map((m) => T0 + m * MIN));
    expect(run(first, T0 + 59 * MIN).map((f) => f.key)).toEqual([
      `recurring:nimbus:sjc-obj-01:cnode-4/eth3:${T0}`,
    ]);
    const longer = flaps(Array.from({ length: 18 }, (_, i) => T0 + i * 10 * MIN));
    expect(run(longer, T0 + 3 * HOUR).map((f) => f.facts.windowStart)).toEqual([
      T0,
      T0 + HOUR,
      T0 + 2 * HOUR,
    ]);
  });

  it('a burst straddling the hour is found (sliding window), keyed to the hour it completed in', () => {
    const findings = run(flaps([40, 48, 56, 64, 72].map((m) => T0 + m * MIN)), T0 + 2 * HOUR);
    expect(findings.map((f) => f.key)).toEqual([`recurring:nimbus:sjc-obj-01:cnode-4/eth3:${T0 + HOUR}`]);
  });

  it('counts firing transitions, not repeated "still firing" notifications, and ignores events after now', () => {
    const repeats = [0, 5, 10, 15, 20, 25].map((m) => event(T0 + m * MIN));
    expect(run(repeats, T0 + HOUR)).toEqual([]);
    const events = flaps([0, 10, 20, 30, 40].map((m) => T0 + m * MIN));
    expect(run(events, T0 + 39 * MIN)).toEqual([]);
  });

  it('does not watch kinds outside componentKinds (capacity alarms repeat by nature)', () => {
    const events = flaps(
      [0, 10, 20, 30, 40].map((m) => T0 + m * MIN),
      {
        category: 'capacity',
        componentKind: 'capacity',
        componentId: 'pool-1',
      },
    );
    expect(run(events, T0 + HOUR)).toEqual([]);
  });
});

describe('recurring trouble: one category across nodes of a cluster', () => {
  const nodeDown = (at: number, node: string, cluster = 'sjc-obj-01') =>
    event(at, {
      category: 'compute-node',
      componentKind: 'cnode',
      componentId: node,
      name: 'CNODE_DOWN',
      cluster,
      summary: `${node} down`,
    });

  it('3 nodes in 30 minutes is one finding naming the nodes', () => {
    const events = [
      nodeDown(T0, 'cnode-1'),
      nodeDown(T0 + 10 * MIN, 'cnode-2'),
      nodeDown(T0 + 20 * MIN, 'cnode-3'),
    ];
    const findings = run(events, T0 + 25 * MIN);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      key: `spread:nimbus:sjc-obj-01:compute-node:${T0}`,
      facts: { kind: 'nodes', nodes: ['cnode-1', 'cnode-2', 'cnode-3'], count: 3 },
    });
  });

  it('2 nodes, the same node 3 times, 3 nodes over 30 minutes, or 3 nodes of different clusters: none', () => {
    expect(run([nodeDown(T0, 'cnode-1'), nodeDown(T0 + MIN, 'cnode-2')], T0 + HOUR)).toEqual([]);
    expect(
      run(
        [0, 5, 10].flatMap((m) => [
          nodeDown(T0 + m * MIN, 'cnode-1'),
          { ...nodeDown(T0 + (m + 1) * MIN, 'cnode-1'), status: 'resolved' as const },
        ]),
        T0 + HOUR,
      ),
    ).toEqual([]);
    expect(
      run(
        [nodeDown(T0, 'cnode-1'), nodeDown(T0 + 15 * MIN, 'cnode-2'), nodeDown(T0 + 30 * MIN, 'cnode-3')],
        T0 + HOUR,
      ),
    ).toEqual([]);
    expect(
      run(
        [
          nodeDown(T0, 'cnode-1', 'a-1'),
          nodeDown(T0 + MIN, 'cnode-2', 'b-1'),
          nodeDown(T0 + 2 * MIN, 'cnode-3', 'c-1'),
        ],
        T0 + HOUR,
      ),
    ).toEqual([]);
  });

  it('parts of nodes count by their node (the first path segment or a node label)', () => {
    const nic = (at: number, id: string, labels = {}) => event(at, { componentId: id, labels });
    const findings = run(
      [
        nic(T0, 'cnode-1/eth0'),
        nic(T0 + MIN, 'cnode-1/eth1'),
        nic(T0 + 2 * MIN, 'eth2', { node: 'cnode-2' }),
      ],
      T0 + 5 * MIN,
    );
    expect(findings.filter((f) => f.key.startsWith('spread:'))).toEqual([]);
    const three = run(
      [
        nic(T0, 'cnode-1/eth0'),
        nic(T0 + MIN, 'cnode-3/eth1'),
        nic(T0 + 2 * MIN, 'eth2', { node: 'cnode-2' }),
      ],
      T0 + 5 * MIN,
    );
    expect(three.map((f) => f.facts.nodes)).toEqual([['cnode-1', 'cnode-2', 'cnode-3']]);
  });
});

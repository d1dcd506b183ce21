import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INHIBIT_RULES,
  findInhibitor,
  type InhibitRule,
} from '../../../../src/domain/alarms/inhibition.js';
import { alarmLabels, type Matcher, parseMatchers } from '../../../../src/domain/alarms/matchers.js';
import type { NormalizedAlarm } from '../../../../src/domain/alarms/types.js';

function m(...tokens: string[]): Matcher[] {
  const r = parseMatchers(tokens);
  if (!r.ok) throw new Error(r.problem);
  return r.matchers;
}

function rule(overrides: Partial<InhibitRule> = {}): InhibitRule {
  return {
    name: 'critical-inhibits-warning',
    sourceMatchers: m('severity=critical'),
    targetMatchers: m('severity=warning'),
    equal: ['cluster'],
    ...overrides,
  };
}

describe('findInhibitor', () => {
  const source = { id: 'src', labels: { severity: 'critical', cluster: 'a' } };

  it('inhibits a matching target when the equal labels agree', () => {
    const target = { severity: 'warning', cluster: 'a' };
    expect(findInhibitor(target, [source], [rule()])).toEqual({ rule: rule(), sourceId: 'src' });
  });

  it('does not inhibit when an equal label differs', () => {
    expect(findInhibitor({ severity: 'warning', cluster: 'b' }, [source], [rule()])).toBeUndefined();
  });

  it('does not inhibit when the target or source matchers do not match', () => {
    expect(findInhibitor({ severity: 'info', cluster: 'a' }, [source], [rule()])).toBeUndefined();
    const notSource = { id: 'x', labels: { severity: 'major', cluster: 'a' } };
    expect(findInhibitor({ severity: 'warning', cluster: 'a' }, [notSource], [rule()])).toBeUndefined();
  });

  it('counts a label missing on both sides as equal, and missing on one side as different', () => {
    const r = rule({ equal: ['cluster', 'rack'] });
    expect(findInhibitor({ severity: 'warning', cluster: 'a' }, [source], [r])?.sourceId).toBe('src');
    expect(findInhibitor({ severity: 'warning', cluster: 'a', rack: 'r1' }, [source], [r])).toBeUndefined();
    // An empty value and a missing label are the same thing in Alertmanager.
    expect(findInhibitor({ severity: 'warning', cluster: 'a', rack: '' }, [source], [r])?.sourceId).toBe(
      'src',
    );
  });

  it('never lets an alarm inhibit itself', () => {
    const both = rule({ sourceMatchers: m('kind=x'), targetMatchers: m('kind=x'), equal: [] });
    const self = { id: 'a1', labels: { kind: 'x', cluster: 'a' } };
    expect(findInhibitor(self.labels, [self], [both])).toBeUndefined();
    expect(
      findInhibitor({ ...self.labels }, [{ id: 'other-id', labels: { ...self.labels } }], [both]),
    ).toBeUndefined();
    expect(
      findInhibitor(self.labels, [{ id: 'a1', labels: { kind: 'x', n: '2' } }], [both], 'a1'),
    ).toBeUndefined();
  });

  it('does not let two alarms matching both sides inhibit each other (Alertmanager two-sided rule)', () => {
    const both = rule({ sourceMatchers: m('kind=~x|y'), targetMatchers: m('kind=~x|y'), equal: [] });
    const other = { id: 'b', labels: { kind: 'y' } };
    expect(findInhibitor({ kind: 'x' }, [other], [both])).toBeUndefined();
  });

  it('returns the first rule and source that inhibit', () => {
    const second = rule({ name: 'second' });
    const sources = [
      { id: 's1', labels: { severity: 'critical', cluster: 'b' } },
      { id: 's2', labels: { severity: 'critical', cluster: 'a' } },
      { id: 's3', labels: { severity: 'critical', cluster: 'a' } },
    ];
    const found = findInhibitor({ severity: 'warning', cluster: 'a' }, sources, [rule(), second]);
    expect(found?.rule.name).toBe('critical-inhibits-warning');
    expect(found?.sourceId).toBe('s2');
  });

  it('needs a firing source: none, nothing inhibited', () => {
    expect(findInhibitor({ severity: 'warning', cluster: 'a' }, [], [rule()])).toBeUndefined();
  });
});

describe('DEFAULT_INHIBIT_RULES', () => {
  const base: NormalizedAlarm = {
    format: 'vms-webhook',
    name: 'DNODE_DOWN',
    status: 'firing',
    cluster: 'sjc-obj-01',
    componentKind: 'dnode',
    componentId: 'dnode-3',
    summary: 'D-node dnode-3 down',
    labels: {},
    fingerprint: 'f-dnode',
    startsAt: 0,
    tenantId: 'nimbus',
    source: 'vms',
    category: 'storage-node',
    severity: 1,
    matchedRules: [],
  };
  const alarm = (overrides: Partial<NormalizedAlarm>) => alarmLabels({ ...base, ...overrides });
  const partition = {
    id: 'partition',
    labels: alarm({
      name: 'NETWORK_PARTITION',
      componentKind: 'cluster',
      componentId: 'sjc-obj-01',
      category: 'network',
    }),
  };

  it('a partition inhibits a D-node down of the same tenant and cluster', () => {
    const found = findInhibitor(alarm({}), [partition], DEFAULT_INHIBIT_RULES);
    expect(found?.sourceId).toBe('partition');
  });

  it.each(['NETWORK_PARTITION', 'CLUSTER_UNREACHABLE', 'ClusterUnreachable', 'NetworkPartition'])(
    'recognizes %s as a partition',
    (name) => {
      const source = { id: 's', labels: alarm({ name, componentKind: 'other', category: 'other' }) };
      expect(findInhibitor(alarm({}), [source], DEFAULT_INHIBIT_RULES)?.sourceId).toBe('s');
    },
  );

  it('inhibits C-nodes and volumes too, but not an SSD or a switch', () => {
    for (const componentKind of ['cnode', 'volume'] as const) {
      expect(findInhibitor(alarm({ componentKind }), [partition], DEFAULT_INHIBIT_RULES)).toBeDefined();
    }
    for (const componentKind of ['ssd', 'switch'] as const) {
      expect(findInhibitor(alarm({ componentKind }), [partition], DEFAULT_INHIBIT_RULES)).toBeUndefined();
    }
  });

  it('does not inhibit a D-node of another cluster or another tenant', () => {
    expect(
      findInhibitor(alarm({ cluster: 'lon-obj-02' }), [partition], DEFAULT_INHIBIT_RULES),
    ).toBeUndefined();
    expect(findInhibitor(alarm({ tenantId: 'orbital' }), [partition], DEFAULT_INHIBIT_RULES)).toBeUndefined();
  });

  it('a cluster-level network alarm of any name also counts as the cause', () => {
    const linkStorm = {
      id: 'net',
      labels: alarm({ name: 'SWITCH_UPLINKS_DOWN', componentKind: 'cluster', category: 'network' }),
    };
    expect(findInhibitor(alarm({}), [linkStorm], DEFAULT_INHIBIT_RULES)?.sourceId).toBe('net');
  });

  it('the partition alarm itself is never inhibited by another partition', () => {
    const other = { id: 'p2', labels: alarm({ name: 'CLUSTER_UNREACHABLE', componentKind: 'cluster' }) };
    expect(findInhibitor(partition.labels, [partition, other], DEFAULT_INHIBIT_RULES)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { detectImpact, impactReason } from '../../../../src/domain/outreach/impact.js';
import { defaults, HOUR, incident, MIN, member, T0 } from './fixtures.js';

const settings = defaults.detectors.impact;
const run = (incidents: ReturnType<typeof incident>[], now = T0 + 5 * MIN) =>
  detectImpact(settings, { incidents, events: [] }, now);

describe('customer impact of an incident', () => {
  it('a storage node down degrades data redundancy', () => {
    expect(impactReason(incident(), settings)).toBe('storage-redundancy-degraded');
  });

  it('a network partition (a cluster-level network alarm or partition text)', () => {
    const partition = incident({
      category: 'network',
      title: 'Network partition detected',
      members: [member({ componentKind: 'switch', componentId: 'leaf-2', name: 'NETWORK_PARTITION' })],
    });
    expect(impactReason(partition, settings)).toBe('network-partition');
    const cluster = incident({
      category: 'network',
      members: [member({ componentKind: 'cluster', componentId: 'sjc' })],
    });
    expect(impactReason(cluster, settings)).toBe('network-partition');
  });

  it('one C-node down is absorbed; two, or one with degraded redundancy, is impact', () => {
    const cnode = (id: string, extra = {}) =>
      member({ componentKind: 'cnode', componentId: id, name: 'CNODE_DOWN', ...extra });
    expect(
      impactReason(incident({ category: 'compute-node', members: [cnode('cnode-1')] }), settings),
    ).toBeUndefined();
    expect(
      impactReason(
        incident({ category: 'compute-node', members: [cnode('cnode-1'), cnode('cnode-2')] }),
        settings,
      ),
    ).toBe('compute-redundancy-degraded');
    expect(
      impactReason(
        incident({
          category: 'compute-node',
          members: [cnode('cnode-1', { summary: 'VIP failover failed' })],
        }),
        settings,
      ),
    ).toBe('compute-redundancy-degraded');
    // A resolved member no longer counts.
    expect(
      impactReason(
        incident({
          category: 'compute-node',
          members: [cnode('cnode-1'), cnode('cnode-2', { status: 'resolved' })],
        }),
        settings,
      ),
    ).toBeUndefined();
  });

  it('data-path errors in the text, CSI mount failures and Sev1/2 performance incidents', () => {
    const io = incident({
      category: 'other',
      members: [
        member({
          componentKind: 'volume',
          componentId: 'v1',
          name: 'VOLUME_IO_ERRORS',
          summary: 'I/O errors on view /data',
        }),
      ],
    });
    expect(impactReason(io, settings)).toBe('data-path-errors');
    const csi = incident({
      category: 'kubernetes-csi',
      members: [member({ componentKind: 'k8s-csi', componentId: 'csi' })],
    });
    expect(impactReason(csi, settings)).toBe('data-path-errors');
  });

  it('a customer_impact label from a classification rule decides first', () => {
    expect(
      impactReason(incident({ members: [member({ labels: { customer_impact: 'none' } })] }), settings),
    ).toBeUndefined();
    const fan = incident({
      category: 'storage-node',
      members: [
        member({ componentKind: 'fan', componentId: 'dnode-3/fan-2', labels: { customer_impact: 'true' } }),
      ],
    });
    expect(impactReason(fan, settings)).toBe('labelled');
    expect(impactReason({ ...fan, members: [{ ...fan.members[0]!, labels: {} }] }, settings)).toBeUndefined();
  });
});

describe('impact detector', () => {
  it('drafts once per new Sev1/Sev2 impacting incident, keyed by the incident', () => {
    const findings = run([incident(), incident({ incidentId: 8, severity: 3 })]);
    expect(findings).toEqual([
      {
        detector: 'impact',
        tenantId: 'nimbus',
        incidentId: 7,
        key: 'impact:nimbus:7',
        category: 'storage-node',
        cluster: 'sjc-obj-01',
        observation: 'a storage node problem that reduces data redundancy on cluster sjc-obj-01',
        facts: {
          reason: 'storage-redundancy-degraded',
          severity: 1,
          title: 'dnode-3 is down',
          components: ['dnode-3'],
          openedAt: T0,
        },
      },
    ]);
  });

  it('an incident opened exactly maxAge ago is no longer new; 1 ms younger still is', () => {
    const age = settings.maxAgeMinutes * MIN;
    expect(run([incident()], T0 + age)).toEqual([]);
    expect(run([incident()], T0 + age - 1)).toHaveLength(1);
    expect(run([incident({ openedAt: T0 + HOUR })], T0)).toEqual([]); // opened after now
  });
});

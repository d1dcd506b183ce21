import { describe, expect, it } from 'vitest';
import {
  inferComponent,
  inferComponentFromLabels,
  kindFromWord,
} from '../../../../../src/domain/alarms/parsers/index.js';

describe('inferComponent', () => {
  it.each([
    ['cnode-17', 'cnode', 'cnode-17'],
    ['C-Node 17 unreachable', 'cnode', 'cnode-17'],
    ['cnode-17.sjc-obj-01.nimbus.internal:9100', 'cnode', 'cnode-17'],
    ['dnode-3', 'dnode', 'dnode-3'],
    ['dnode-3/fan-2', 'fan', 'dnode-3/fan-2'],
    ['dnode-4/ssd-17', 'ssd', 'dnode-4/ssd-17'],
    ['dnode-3/nvram-1', 'nvram', 'dnode-3/nvram-1'],
    ['cnode-12/eth3', 'nic', 'cnode-12/eth3'],
    ['switch-leaf-04/Ethernet12', 'link', 'switch-leaf-04/Ethernet12'],
    ['switch-leaf-04', 'switch', 'switch-leaf-04'],
    ['spine-02 is not responding', 'switch', 'spine-02'],
    ['pvc-3f2a9c1e-1b2c-4d5e-8f90-123456789abc', 'k8s-csi', 'pvc-3f2a9c1e-1b2c-4d5e-8f90-123456789abc'],
    ['Link down on port eth3 of cnode-12', 'nic', 'cnode-12/eth3'],
    ['SSD ssd-17 in dnode-4 failed', 'ssd', 'dnode-4/ssd-17'],
    ['Power supply 2 on dnode-5 lost input', 'psu', 'dnode-5/psu-2'],
    ['nvme3n1 media errors', 'ssd', 'nvme3n1'],
  ])('%s → %s %s', (text, kind, id) => {
    expect(inferComponent(text)).toEqual({ kind, id });
  });

  it.each(['', 'the switch-over finished', 'cluster is healthy', 42, null])('finds nothing in %j', (text) => {
    expect(inferComponent(text)).toBeUndefined();
  });
});

describe('inferComponentFromLabels', () => {
  it.each([
    [
      { instance: 'cnode-12:9100', interface: 'eth3' },
      { kind: 'nic', id: 'cnode-12/eth3' },
    ],
    [
      { dnode: 'dnode-4', device: 'nvme3n1' },
      { kind: 'ssd', id: 'dnode-4/nvme3n1' },
    ],
    [
      { namespace: 'training', persistentvolumeclaim: 'ckpt' },
      { kind: 'k8s-csi', id: 'training/ckpt' },
    ],
    [{ dnode: 'enc-a7' }, { kind: 'dnode', id: 'enc-a7' }],
    [{ instance: '10.0.0.5:9100' }, { kind: 'other', id: '10.0.0.5' }],
    [{ job: 'node-exporter' }, undefined],
  ])('%j → %j', (labels, expected) => {
    expect(inferComponentFromLabels(labels as Record<string, string>)).toEqual(expected);
  });
});

describe('kindFromWord', () => {
  it.each([
    ['C-Node', 'cnode'],
    ['dnode', 'dnode'],
    ['drive', 'ssd'],
    ['power supply', 'psu'],
    ['csi', 'k8s-csi'],
    ['gizmo', undefined],
  ])('%s → %s', (word, kind) => {
    expect(kindFromWord(word)).toBe(kind);
  });
});

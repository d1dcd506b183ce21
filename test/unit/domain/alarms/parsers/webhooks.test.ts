import { describe, expect, it } from 'vitest';
import { VmsWebhookMappingSchema } from '../../../../../src/config/alarm-schema.js';
import { parseAlertmanagerWebhook, parseVmsWebhook } from '../../../../../src/domain/alarms/parsers/index.js';
import { alertmanagerPayload } from '../fixtures.js';

const clone = <T>(value: T): T => structuredClone(value);

describe('parseAlertmanagerWebhook', () => {
  it('reads every alert of a v4 group, each with its own status and times', () => {
    const result = parseAlertmanagerWebhook(clone(alertmanagerPayload));
    if (!result.ok) throw new Error(result.reason);
    expect(result.groupKey).toBe(alertmanagerPayload.groupKey);
    expect(result.receiver).toBe('opsbot-nimbus');
    expect(result.alerts).toEqual([
      {
        format: 'alertmanager-webhook',
        name: 'NodeDown',
        status: 'firing',
        cluster: 'sjc-obj-01',
        site: 'San Jose',
        sourceSeverity: 'critical',
        componentKind: 'cnode',
        componentId: 'cnode-17',
        summary: 'C-node cnode-17 is down — cnode-17 has not answered scrapes for more than 2 minutes.',
        labels: alertmanagerPayload.alerts[0]?.labels,
        fingerprint: 'a3f1c2d4e5b60718',
        startsAt: Date.UTC(2024, 4, 4, 3, 12, 45, 739),
      },
      {
        format: 'alertmanager-webhook',
        name: 'NodeDown',
        status: 'resolved',
        cluster: 'sjc-obj-01',
        site: 'San Jose',
        sourceSeverity: 'critical',
        componentKind: 'cnode',
        componentId: 'cnode-09',
        summary: 'C-node cnode-09 is down',
        labels: alertmanagerPayload.alerts[1]?.labels,
        fingerprint: '0b1c2d3e4f506172',
        startsAt: Date.UTC(2024, 4, 4, 2, 50, 0),
        endsAt: Date.UTC(2024, 4, 4, 3, 10, 0, 500),
      },
    ]);
  });

  it('infers components from interface, device and PVC labels', () => {
    const body = clone(alertmanagerPayload);
    body.alerts = [
      {
        ...body.alerts[0]!,
        labels: { alertname: 'NicDown', instance: 'cnode-12:9100', interface: 'eth3' } as never,
      },
      {
        ...body.alerts[0]!,
        labels: { alertname: 'SsdFailed', dnode: 'dnode-4', device: 'nvme3n1' } as never,
      },
      {
        ...body.alerts[0]!,
        labels: {
          alertname: 'KubePersistentVolumeErrors',
          namespace: 'training',
          persistentvolumeclaim: 'ckpt-llm-70b',
        } as never,
      },
      { ...body.alerts[0]!, labels: { alertname: 'HostDown', instance: '10.20.0.17:9100' } as never },
    ];
    const result = parseAlertmanagerWebhook(body);
    if (!result.ok) throw new Error(result.reason);
    expect(result.alerts.map((a) => [a.componentKind, a.componentId])).toEqual([
      ['nic', 'cnode-12/eth3'],
      ['ssd', 'dnode-4/nvme3n1'],
      ['k8s-csi', 'training/ckpt-llm-70b'],
      ['other', '10.20.0.17'],
    ]);
  });

  it('takes the group status when an alert has none, and cluster from cluster_name or vms_cluster', () => {
    const body = clone(alertmanagerPayload);
    body.status = 'resolved';
    const { status: _drop, ...alert } = body.alerts[0]!;
    body.alerts = [{ ...alert, labels: { alertname: 'X', vms_cluster: 'phx-obj-01' } } as never];
    const result = parseAlertmanagerWebhook(body);
    expect(result.ok && result.alerts[0]).toMatchObject({ status: 'resolved', cluster: 'phx-obj-01' });
  });

  it.each([
    [null, 'body: expected an object, got null'],
    [{ ...alertmanagerPayload, groupKey: undefined }, 'groupKey: missing (expected a string)'],
    [{ ...alertmanagerPayload, alerts: 'x' }, 'alerts: expected an array, got a string'],
    [
      { ...alertmanagerPayload, alerts: [{ ...alertmanagerPayload.alerts[0], labels: 'x' }] },
      'alerts[0].labels: expected an object, got a string',
    ],
    [
      { ...alertmanagerPayload, alerts: [{ ...alertmanagerPayload.alerts[0], labels: { severity: 3 } }] },
      'alerts[0].labels.severity: expected a string, got a number',
    ],
    [{ ...alertmanagerPayload, status: 'pending' }, 'status: expected one of "firing", "resolved"'],
  ])('rejects %j with a plain reason', (body, reason) => {
    expect(parseAlertmanagerWebhook(body)).toEqual({ ok: false, reason });
  });
});

describe('parseVmsWebhook', () => {
  const defaults = VmsWebhookMappingSchema.parse({});

  it('reads the default template', () => {
    const result = parseVmsWebhook(
      {
        id: 'evt-88121',
        event: 'DNODE_FAN_FAILED',
        severity: 'MINOR',
        cluster: 'sjc-obj-01',
        site: 'San Jose',
        object: 'dnode-3/fan-2',
        message: 'Fan fan-2 on dnode-3 reports 0 RPM',
        state: 'ACTIVE',
        timestamp: '2024-05-04T03:11:02Z',
      },
      defaults,
    );
    expect(result).toEqual({
      ok: true,
      alarm: {
        format: 'vms-webhook',
        name: 'DNODE_FAN_FAILED',
        status: 'firing',
        cluster: 'sjc-obj-01',
        site: 'San Jose',
        sourceSeverity: 'minor',
        componentKind: 'fan',
        componentId: 'dnode-3/fan-2',
        summary: 'Fan fan-2 on dnode-3 reports 0 RPM',
        labels: {
          event: 'DNODE_FAN_FAILED',
          severity: 'MINOR',
          object: 'dnode-3/fan-2',
          status: 'ACTIVE',
          event_id: 'evt-88121',
        },
        startsAt: Date.UTC(2024, 4, 4, 3, 11, 2),
      },
    });
  });

  it('follows a remapped template with renamed severities, per cluster first', () => {
    const mapping = VmsWebhookMappingSchema.parse({
      eventName: 'alarm.type',
      severity: 'alarm.level',
      cluster: 'source.cluster',
      object: 'alarm.objects.0',
      message: 'alarm.text',
      status: 'alarm.phase',
      timestamp: 'alarm.raisedAt',
      severities: { 'SEV-A': 'critical', 'SEV-B': 'major' },
      clusterSeverities: { 'phx-obj-01': { 'sev-b': 'critical' } },
    });
    const body = (cluster: string, phase = 'open') => ({
      source: { cluster },
      alarm: {
        type: 'NVRAM_DEGRADED',
        level: 'SEV-B',
        objects: ['dnode-4/nvram-1'],
        text: 'NVRAM nvram-1 degraded',
        phase,
        raisedAt: 1714792262,
      },
    });
    const sjc = parseVmsWebhook(body('sjc-obj-01'), mapping);
    const phx = parseVmsWebhook(body('phx-obj-01'), mapping);
    expect(sjc.ok && sjc.alarm).toMatchObject({
      sourceSeverity: 'major',
      componentKind: 'nvram',
      startsAt: 1714792262000,
    });
    expect(phx.ok && phx.alarm).toMatchObject({ sourceSeverity: 'critical', labels: { severity: 'SEV-B' } });
    const cleared = parseVmsWebhook(body('phx-obj-01', 'CLEARED'), mapping);
    expect(cleared.ok && cleared.alarm).toMatchObject({ status: 'resolved', endsAt: 1714792262000 });
    expect(cleared.ok && cleared.alarm.startsAt).toBeUndefined();
  });

  it('treats a severity of CLEARED as the clear and a cluster-wide object as the cluster', () => {
    const result = parseVmsWebhook(
      { event: 'CLUSTER_UNREACHABLE', severity: 'CLEARED', cluster: 'sjc-obj-01', object: 'sjc-obj-01' },
      defaults,
    );
    expect(result.ok && result.alarm).toMatchObject({
      status: 'resolved',
      componentKind: 'cluster',
      componentId: 'sjc-obj-01',
      summary: 'CLUSTER_UNREACHABLE on sjc-obj-01',
    });
    expect(result.ok && result.alarm.sourceSeverity).toBeUndefined();
  });

  it.each([
    ['[1,2]', [1, 2], 'body: expected an object, got an array'],
    ['no event', { severity: 'MAJOR' }, 'eventName: missing (expected the event name at "event")'],
    [
      'an object as severity',
      { event: 'X', severity: { level: 3 } },
      'severity: expected text or a number at "severity", got an object',
    ],
  ])('rejects %s with a plain reason', (_label, body, reason) => {
    expect(parseVmsWebhook(body, defaults)).toEqual({ ok: false, reason });
  });

  it('does not follow paths into the prototype', () => {
    const mapping = VmsWebhookMappingSchema.parse({ eventName: 'constructor.name' });
    expect(parseVmsWebhook({ event: 'X' }, mapping).ok).toBe(false);
  });
});

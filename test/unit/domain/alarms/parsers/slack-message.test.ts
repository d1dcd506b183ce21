import { describe, expect, it } from 'vitest';
import { parseSlackMessage } from '../../../../../src/domain/alarms/parsers/index.js';
import { alertmanagerSlackCustom, alertmanagerSlackDefault, grafanaSlack, NOW } from '../fixtures.js';

const parse = (msg: Parameters<typeof parseSlackMessage>[0]) => parseSlackMessage(msg, NOW);

describe('parseSlackMessage: VMS text', () => {
  it('reads the bracket layout with emoji, site and object', () => {
    const alarm = parse({
      text: ':red_circle: [CRITICAL] sjc-obj-01 (San Jose) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    });
    expect(alarm).toEqual({
      format: 'vms-text',
      name: 'DNODE_DOWN',
      status: 'firing',
      cluster: 'sjc-obj-01',
      site: 'San Jose',
      sourceSeverity: 'CRITICAL',
      componentKind: 'dnode',
      componentId: 'dnode-3',
      summary: 'D-node dnode-3 is not responding',
      labels: {},
    });
  });

  it('reads [RESOLVED] (with or without the original severity) as the clear', () => {
    const plain = parse({
      text: ':white_check_mark: [RESOLVED] sjc-obj-01 (San Jose) DNODE_DOWN dnode-3: D-node dnode-3 is responding again',
    });
    expect(plain).toMatchObject({ status: 'resolved', name: 'DNODE_DOWN', componentId: 'dnode-3' });
    expect(plain.sourceSeverity).toBeUndefined();
    const withSeverity = parse({ text: '[RESOLVED] [MAJOR] phx-obj-01 NIC_LINK_DOWN cnode-12/eth3' });
    expect(withSeverity).toMatchObject({ status: 'resolved', sourceSeverity: 'MAJOR', componentKind: 'nic' });
  });

  it('reads the pipe layout, positional or key=value, and keeps extra keys as labels', () => {
    const alarm = parse({
      text: 'VMS | MAJOR | cluster=phx-obj-01 | NIC_LINK_DOWN | cnode-12/eth3 | Link down on port eth3',
    });
    expect(alarm).toEqual({
      format: 'vms-text',
      name: 'NIC_LINK_DOWN',
      status: 'firing',
      cluster: 'phx-obj-01',
      sourceSeverity: 'MAJOR',
      componentKind: 'nic',
      componentId: 'cnode-12/eth3',
      summary: 'Link down on port eth3',
      labels: { cluster: 'phx-obj-01' },
    });
    const clear = parse({
      text: 'VMS | RESOLVED | phx-obj-01 | DNODE_FAN_FAILED | dnode-3/fan-2 | Fan fan-2 back to 9000 RPM | id=88121',
    });
    expect(clear).toMatchObject({
      status: 'resolved',
      cluster: 'phx-obj-01',
      name: 'DNODE_FAN_FAILED',
      componentKind: 'fan',
      componentId: 'dnode-3/fan-2',
      summary: 'Fan fan-2 back to 9000 RPM',
      labels: { id: '88121' },
    });
  });

  it('finds the alarm line under Slack markup and a preamble', () => {
    const alarm = parse({
      text: 'New alarm from <https://vms.sjc.nimbus.internal|VMS>:\n*[MAJOR] sjc-obj-01 SWITCH_DOWN switch-leaf-04*: Switch switch-leaf-04 is not responding',
    });
    expect(alarm).toMatchObject({ format: 'vms-text', name: 'SWITCH_DOWN', componentKind: 'switch' });
  });
});

describe('parseSlackMessage: Alertmanager and Grafana', () => {
  it('reads the default Alertmanager attachment (title only)', () => {
    const alarm = parse(alertmanagerSlackDefault);
    expect(alarm).toMatchObject({
      format: 'alertmanager-slack',
      name: 'NodeDown',
      status: 'firing',
      sourceSeverity: 'critical',
      summary: 'NodeDown sjc-obj-01 (node-exporter critical San Jose)',
      labels: {},
    });
  });

  it('reads a resolved Alertmanager notification', () => {
    const resolved = {
      ...alertmanagerSlackDefault,
      attachments: [
        {
          ...alertmanagerSlackDefault.attachments[0],
          color: 'good',
          title: '[RESOLVED] NodeDown sjc-obj-01 (node-exporter critical San Jose)',
        },
      ],
    };
    expect(parse(resolved)).toMatchObject({ status: 'resolved', name: 'NodeDown' });
  });

  it('reads labels and annotations from the popular custom template', () => {
    const alarm = parse(alertmanagerSlackCustom);
    expect(alarm).toEqual({
      format: 'alertmanager-slack',
      name: 'DNodeFanFailed',
      status: 'firing',
      cluster: 'phx-obj-01',
      sourceSeverity: 'warning',
      componentKind: 'fan',
      componentId: 'dnode-3/fan-2',
      summary: 'Fan fan-2 on dnode-3 failed — Fan fan-2 reports 0 RPM; enclosure temperature rising.',
      labels: {
        alertname: 'DNodeFanFailed',
        cluster: 'phx-obj-01',
        dnode: 'dnode-3',
        fan: 'fan-2',
        severity: 'warning',
      },
    });
  });

  it('reads attachment fields as labels', () => {
    const alarm = parse({
      attachments: [
        {
          title: '[FIRING:1] NicLinkFlapping',
          fields: [
            { title: 'cluster', value: 'sjc-obj-01', short: true },
            { title: 'instance', value: 'cnode-12:9100', short: true },
            { title: 'interface', value: 'eth3', short: true },
            { title: 'severity', value: 'warning', short: true },
          ],
        },
      ],
    });
    expect(alarm).toMatchObject({
      name: 'NicLinkFlapping',
      cluster: 'sjc-obj-01',
      componentKind: 'nic',
      componentId: 'cnode-12/eth3',
      sourceSeverity: 'warning',
    });
  });

  it('reads the subject from Block Kit blocks when a Slack app relays it', () => {
    const alarm = parse({
      text: '[FIRING:1] CSIMountFailures',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[FIRING:1] CSIMountFailures' } },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                {
                  type: 'text',
                  text: 'Summary: MountVolume.SetUp failed for volume pvc-4b1d0c5e-77aa-4f10 on gpu-node-311',
                },
              ],
            },
          ],
        },
        { type: 'section', fields: [{ type: 'mrkdwn', text: '*cluster:* gpu-k8s-02' }] },
      ],
    });
    expect(alarm).toMatchObject({
      format: 'alertmanager-slack',
      name: 'CSIMountFailures',
      cluster: 'gpu-k8s-02',
      componentKind: 'k8s-csi',
      componentId: 'pvc-4b1d0c5e-77aa-4f10',
      summary: 'MountVolume.SetUp failed for volume pvc-4b1d0c5e-77aa-4f10 on gpu-node-311',
    });
  });

  it("reads Grafana's default Slack message", () => {
    const alarm = parse(grafanaSlack);
    expect(alarm).toEqual({
      format: 'alertmanager-slack',
      name: 'ClusterCapacityHigh',
      status: 'firing',
      cluster: 'sjc-obj-01',
      sourceSeverity: 'critical',
      summary: 'Cluster sjc-obj-01 is 93.4% full (280 PB of 300 PB)',
      labels: {
        alertname: 'ClusterCapacityHigh',
        cluster: 'sjc-obj-01',
        grafana_folder: 'VAST',
        severity: 'critical',
      },
    });
  });

  it('describes a grouped Grafana message by its first alert', () => {
    const text = [
      '**Firing**',
      '',
      'Value: A=1',
      'Labels:',
      ' - alertname = DNodeDown',
      ' - dnode = dnode-7',
      'Annotations:',
      ' - summary = D-node dnode-7 is down',
      '',
      'Value: A=1',
      'Labels:',
      ' - alertname = DNodeDown',
      ' - dnode = dnode-8',
    ].join('\n');
    const alarm = parse({
      attachments: [{ title: '[FIRING:2] DNodeDown', text, footer: 'Grafana v11.1.0' }],
    });
    expect(alarm).toMatchObject({
      componentId: 'dnode-7',
      labels: { alertname: 'DNodeDown', dnode: 'dnode-7' },
    });
  });
});

describe('parseSlackMessage: key=value', () => {
  it('reads pairs, quoted values and an explicit component kind', () => {
    const alarm = parse({
      text: 'severity=critical cluster=sjc-obj-01 component=dnode id=dnode-3 alert=DNODE_DOWN summary="D-node down"',
    });
    expect(alarm).toEqual({
      format: 'key-value',
      name: 'DNODE_DOWN',
      status: 'firing',
      cluster: 'sjc-obj-01',
      sourceSeverity: 'critical',
      componentKind: 'dnode',
      componentId: 'dnode-3',
      summary: 'D-node down',
      labels: {
        severity: 'critical',
        cluster: 'sjc-obj-01',
        component: 'dnode',
        id: 'dnode-3',
        alert: 'DNODE_DOWN',
        summary: 'D-node down',
      },
    });
  });

  it('handles single quotes, escapes and status=resolved; uses the free words as summary', () => {
    const alarm = parse({
      text: "cnode-12 eth3 link up again alert=NIC_LINK_DOWN status=resolved note='it\\'s back'",
    });
    expect(alarm).toMatchObject({
      status: 'resolved',
      summary: 'cnode-12 eth3 link up again',
      componentKind: 'nic',
      componentId: 'cnode-12/eth3',
      labels: { note: "it's back" },
    });
  });

  it('does not take chat with a stray a=b for an alarm', () => {
    expect(parse({ text: 'can someone check why x=1 on the dashboard?' }).format).toBe('unparseable');
  });
});

describe('parseSlackMessage: anything else', () => {
  it('keeps an unparseable message as a clean one-line excerpt', () => {
    const alarm = parse({ text: `hello\u0000 team\n\nis \ud800anyone ${'looking '.repeat(60)}` });
    expect(alarm.format).toBe('unparseable');
    expect(alarm.name).toBe('unparseable');
    expect(alarm.summary.length).toBeLessThanOrEqual(200);
    expect(alarm.summary).toMatch(/^hello team is anyone looking/);
    // Every code point printable: no controls, and no lone surrogate (a one-unit \ud800-\udfff).
    expect(
      [...alarm.summary].every((ch) => ch >= ' ' && (ch.length === 2 || !/[\ud800-\udfff]/.test(ch))),
    ).toBe(true);
  });

  it('survives non-objects and odd shapes', () => {
    for (const msg of [
      null,
      undefined,
      42,
      'DNODE_DOWN',
      [],
      { text: 5, attachments: 'x', blocks: [null, 1, { type: 'rich_text' }] },
    ]) {
      expect(parse(msg as never).format).toBe('unparseable');
    }
  });

  it('only looks at the first 64 KiB', () => {
    const huge = `${'x'.repeat(70 * 1024)}\n[CRITICAL] sjc-obj-01 DNODE_DOWN dnode-3: down`;
    const started = performance.now();
    expect(parse({ text: huge }).format).toBe('unparseable');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(
      parse({ text: `${'x'.repeat(1000)}\n[CRITICAL] sjc-obj-01 DNODE_DOWN dnode-3: down` }).format,
    ).toBe('vms-text');
  });
});

// Wire-shaped inputs, modelled on what the senders really post: Alertmanager's webhook v4
// (template/default.tmpl + notify/webhook), its Slack notifier's default attachment, Grafana's
// Slack contact point (default.title/default.message, #D63232 color, "Grafana v…" footer).

export const NOW = Date.UTC(2024, 4, 4, 3, 15, 0); // 2024-05-04T03:15:00Z, a Saturday night in California

/** One group, two alerts: cnode-17 firing, cnode-09 resolved. */
export const alertmanagerPayload = {
  receiver: 'opsbot-nimbus',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: {
        alertname: 'NodeDown',
        cluster: 'sjc-obj-01',
        instance: 'cnode-17.sjc-obj-01.nimbus.internal:9100',
        job: 'node-exporter',
        severity: 'critical',
        site: 'San Jose',
      },
      annotations: {
        summary: 'C-node cnode-17 is down',
        description: 'cnode-17 has not answered scrapes for more than 2 minutes.',
        runbook_url: 'https://runbooks.example.net/vaas/cnode-down',
      },
      startsAt: '2024-05-04T03:12:45.739266876Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL:
        'http://prometheus.sjc.nimbus.internal:9090/graph?g0.expr=up%7Bjob%3D%22node-exporter%22%7D+%3D%3D+0&g0.tab=1',
      fingerprint: 'a3f1c2d4e5b60718',
    },
    {
      status: 'resolved',
      labels: {
        alertname: 'NodeDown',
        cluster: 'sjc-obj-01',
        instance: 'cnode-09.sjc-obj-01.nimbus.internal:9100',
        job: 'node-exporter',
        severity: 'critical',
        site: 'San Jose',
      },
      annotations: { summary: 'C-node cnode-09 is down' },
      startsAt: '2024-05-04T02:50:00Z',
      endsAt: '2024-05-04T05:10:00.5+02:00',
      generatorURL: 'http://prometheus.sjc.nimbus.internal:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1',
      fingerprint: '0b1c2d3e4f506172',
    },
  ],
  groupLabels: { alertname: 'NodeDown', cluster: 'sjc-obj-01' },
  commonLabels: {
    alertname: 'NodeDown',
    cluster: 'sjc-obj-01',
    job: 'node-exporter',
    severity: 'critical',
    site: 'San Jose',
  },
  commonAnnotations: {},
  externalURL: 'http://alertmanager.sjc.nimbus.internal:9093',
  version: '4',
  groupKey: '{}/{severity="critical"}:{alertname="NodeDown", cluster="sjc-obj-01"}',
  truncatedAlerts: 0,
};

/** Alertmanager's Slack notifier with the default slack_configs: title, link, fallback, color; no text. */
export const alertmanagerSlackDefault = {
  bot_id: 'B06AM0001',
  username: 'AlertManager',
  text: '',
  attachments: [
    {
      color: 'danger',
      title: '[FIRING:2] NodeDown sjc-obj-01 (node-exporter critical San Jose)',
      title_link: 'http://alertmanager.sjc.nimbus.internal:9093/#/alerts?receiver=slack-nimbus',
      fallback:
        '[FIRING:2] NodeDown sjc-obj-01 (node-exporter critical San Jose) | http://alertmanager.sjc.nimbus.internal:9093/#/alerts?receiver=slack-nimbus',
      text: '',
      footer: '',
      mrkdwn_in: ['fallback', 'pretext', 'text'],
    },
  ],
};

/** Alertmanager with the popular custom text template (`*Alert:* … - `sev``, `*Details:*` bullets). */
export const alertmanagerSlackCustom = {
  bot_id: 'B06AM0001',
  username: 'AlertManager',
  attachments: [
    {
      color: 'danger',
      title: '[FIRING:1] DNodeFanFailed',
      title_link: 'http://alertmanager.phx.nimbus.internal:9093/#/alerts',
      text: [
        '*Alert:* Fan fan-2 on dnode-3 failed - `warning`',
        '*Description:* Fan fan-2 reports 0 RPM; enclosure temperature rising.',
        '*Details:*',
        '  • alertname: DNodeFanFailed',
        '  • cluster: phx-obj-01',
        '  • dnode: dnode-3',
        '  • fan: fan-2',
        '',
      ].join('\n'),
      fallback: '[FIRING:1] DNodeFanFailed | http://alertmanager.phx.nimbus.internal:9093/#/alerts',
    },
  ],
};

/** Grafana's Slack contact point, default templates. */
export const grafanaSlack = {
  bot_id: 'B06GRAF001',
  username: 'Grafana',
  attachments: [
    {
      color: '#D63232',
      title: '[FIRING:1] ClusterCapacityHigh sjc-obj-01 (critical)',
      title_link: 'https://grafana.nimbus.internal/alerting/list',
      text: [
        '**Firing**',
        '',
        'Value: A=93.4, B=1',
        'Labels:',
        ' - alertname = ClusterCapacityHigh',
        ' - cluster = sjc-obj-01',
        ' - grafana_folder = VAST',
        ' - severity = critical',
        'Annotations:',
        ' - summary = Cluster sjc-obj-01 is 93.4% full (280 PB of 300 PB)',
        'Source: https://grafana.nimbus.internal/alerting/grafana/fdk2x9/view?orgId=1',
        'Silence: https://grafana.nimbus.internal/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DClusterCapacityHigh',
        'Dashboard: https://grafana.nimbus.internal/d/vast-capacity?orgId=1',
        '',
      ].join('\n'),
      fallback: '[FIRING:1] ClusterCapacityHigh sjc-obj-01 (critical)',
      footer: 'Grafana v10.4.1',
      footer_icon: 'https://grafana.com/static/assets/img/fav32.png',
      ts: 1714792500,
      mrkdwn_in: ['pretext'],
    },
  ],
};

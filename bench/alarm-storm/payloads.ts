// The wire payloads of the alarm storm, built exactly as their real senders build them:
// Slack Events API `message` callbacks (a VMS integration posting bot_message alarms), Alertmanager
// v4 webhooks (one alert each) and Alertmanager API v2 postable alerts.
import { createHash } from 'node:crypto';
import { eventCallbackBody, SANDBOX_IDS } from '../../sandbox/slack-wire.js';

export const STORM_CLUSTER = 'sjc-obj-01';
/** The nimbus tenant's alarm channel and an integration bot that posts there (config/sandbox.yaml). */
export const ALARM_CHANNEL = 'C0NIMBALRM';
/** A channel the bot reads but that is not an alarm channel: warm-up traffic is ignored there. */
export const WARMUP_CHANNEL = 'C0NIMBOPS1';
export const VMS_BOT_ID = 'B0VMSINTG1';

/** Slack message ts from integer microseconds, `1764147600.000100`. */
function tsFromMicros(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/**
 * Alarm `i` of one storm on one cluster: a NIC link flap on a distinct C-node port, so every
 * message is a distinct alarm (distinct component → distinct fingerprint) of the same incident group.
 */
export function vmsAlarmText(i: number): string {
  const node = Math.floor(i / 4) + 1;
  const port = i % 4;
  return `VMS | MINOR | cluster=${STORM_CLUSTER} | NIC_LINK_FLAP | cnode-${node}/eth${port} | Link flapped on port eth${port}`;
}

/**
 * The JSON body Slack POSTs for message `i` of a run. `warmup` messages are human chatter in a
 * non-alarm channel (exercise transport, signature, Bolt and the inbound store, store no alarm).
 */
export function slackEventBody(i: number, opts: { runTag: string; baseMs: number; warmup: boolean }): string {
  // Unique ts per message (100 µs apart), a little before "now" like a real post being delivered.
  const ts = tsFromMicros(Math.floor((opts.baseMs - 60_000) * 1000) + i * 100);
  const event: Record<string, unknown> = opts.warmup
    ? {
        type: 'message',
        channel: WARMUP_CHANNEL,
        user: 'U0STAFF001',
        text: `warm-up chatter ${i}`,
        ts,
        event_ts: ts,
        channel_type: 'channel',
      }
    : {
        type: 'message',
        subtype: 'bot_message',
        bot_id: VMS_BOT_ID,
        username: 'VMS',
        channel: ALARM_CHANNEL,
        text: vmsAlarmText(i),
        ts,
        event_ts: ts,
        channel_type: 'channel',
      };
  const body = eventCallbackBody(event, {
    teamId: SANDBOX_IDS.teamId,
    eventId: `Ev0${opts.runTag}${i.toString(36).toUpperCase().padStart(6, '0')}`,
    nowMs: opts.baseMs,
  });
  return JSON.stringify(body);
}

export interface StormAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
  /** Default firing; a resolved alert carries its real endsAt. */
  status?: 'firing' | 'resolved';
}

/**
 * Alert `i`: a C-node down on one cluster (the storm's unless told), a distinct label set (node)
 * each, so a distinct fingerprint each.
 */
export function stormAlert(i: number, opts: { startsAtMs: number; cluster?: string }): StormAlert {
  const node = `cnode-${i + 1}`;
  const labels = {
    alertname: 'CNodeDown',
    cluster: opts.cluster ?? STORM_CLUSTER,
    node,
    severity: 'critical',
    job: 'vms-exporter',
  };
  return {
    labels,
    annotations: { summary: `C-node ${node} is down`, description: `${node} has not answered for 2 minutes` },
    startsAt: new Date(opts.startsAtMs).toISOString(),
    endsAt: new Date(opts.startsAtMs + 60 * 60_000).toISOString(),
    generatorURL: `http://prometheus.nimbus.internal/graph?g0.expr=up%7Bnode%3D%22${node}%22%7D`,
    // Alertmanager's fingerprint is a 64-bit hash of the label set, printed as 16 hex digits.
    fingerprint: createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16),
  };
}

/**
 * An Alertmanager webhook (version 4) carrying firing alerts, as Alertmanager sends it: one alert,
 * or a group of alerts sharing the cluster (Alertmanager's group_by) with the common labels only.
 */
export function alertmanagerWebhookBody(alerts: StormAlert[]): string {
  const first = alerts[0] as StormAlert;
  const single = alerts.length === 1;
  const { node: _node, ...shared } = first.labels;
  return JSON.stringify({
    version: '4',
    groupKey: single
      ? `{}/{cluster="${first.labels.cluster}"}:{alertname="${first.labels.alertname}", node="${first.labels.node}"}`
      : `{}/{cluster="${first.labels.cluster}"}:{alertname="${first.labels.alertname}", cluster="${first.labels.cluster}"}`,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status !== 'resolved') ? 'firing' : 'resolved',
    receiver: 'opsbot',
    groupLabels: single
      ? { alertname: first.labels.alertname, node: first.labels.node }
      : { alertname: first.labels.alertname, cluster: first.labels.cluster },
    commonLabels: single ? first.labels : shared,
    commonAnnotations: single ? first.annotations : {},
    externalURL: 'http://alertmanager.nimbus.internal:9093',
    alerts: alerts.map((alert) => ({
      status: alert.status ?? 'firing',
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      // Alertmanager sends the zero time for firing alerts.
      endsAt: alert.status === 'resolved' ? alert.endsAt : '0001-01-01T00:00:00Z',
      generatorURL: alert.generatorURL,
      fingerprint: alert.fingerprint,
    })),
  });
}

/** `POST /api/v2/alerts` body: an array of postable alerts. */
export function alertmanagerApiBody(alerts: StormAlert[]): string {
  return JSON.stringify(
    alerts.map((alert) => ({
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt,
      endsAt: alert.endsAt,
      generatorURL: alert.generatorURL,
    })),
  );
}

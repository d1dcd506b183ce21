// Alertmanager's webhook (`webhook_configs`, payload version "4"): one POST per alert group
// with every alert's labels, annotations, times and fingerprint. Grafana's webhook contact
// point sends the same shape (version "1") and is accepted too; other versions are refused, and
// so are times that are not RFC 3339. Unknown fields are allowed: both add fields over time
// (orgId, values, silenceURL…) and must not break intake.
import { z } from 'zod';
import type { AlarmStatus, ParsedAlarm } from '../types.js';
import { cleanAlarm } from './clean-alarm.js';
import { inferComponentFromLabels } from './component.js';
import { clusterFromLabels, siteFromLabels, stringRecord } from './labels.js';
import { oneLine } from './text.js';
import { isRfc3339, parseRfc3339 } from './time.js';
import { firstIssueReason } from './zod-reason.js';

const StatusSchema = z.enum(['firing', 'resolved']);
const LabelSetSchema = z.record(z.string(), z.string());

const AlertSchema = z
  .object({
    // Per-alert status; absent only from hand-written senders, then the group's applies.
    status: StatusSchema.optional(),
    labels: LabelSetSchema,
    annotations: LabelSetSchema.optional(),
    startsAt: z.string().optional(),
    endsAt: z.string().optional(),
    generatorURL: z.string().optional(),
    fingerprint: z.string().optional(),
  })
  .loose();

const PayloadSchema = z
  .object({
    version: z.string().optional(),
    groupKey: z.string(),
    receiver: z.string(),
    status: StatusSchema,
    alerts: z.array(AlertSchema),
    groupLabels: LabelSetSchema.optional(),
    commonLabels: LabelSetSchema.optional(),
    commonAnnotations: LabelSetSchema.optional(),
    externalURL: z.string().optional(),
    truncatedAlerts: z.number().optional(),
  })
  .loose();

export type AlertmanagerWebhookResult =
  | {
      ok: true;
      groupKey: string;
      receiver: string;
      alerts: ParsedAlarm[];
      /** Alerts of this group Alertmanager left out of the notification (`max_alerts`). */
      truncatedAlerts: number;
    }
  | { ok: false; reason: string };

function summaryOf(annotations: Record<string, string>, name: string): string {
  const head = annotations.summary ?? annotations.message;
  const description = annotations.description;
  if (head && description && description !== head) return `${head} — ${description}`;
  return head ?? description ?? name;
}

function toAlarm(alert: z.output<typeof AlertSchema>, groupStatus: AlarmStatus): ParsedAlarm {
  const labels = stringRecord(alert.labels);
  const annotations = stringRecord(alert.annotations);
  const name = labels.alertname?.trim() || 'unnamed';
  const status = alert.status ?? groupStatus;
  const alarm: ParsedAlarm = {
    format: 'alertmanager-webhook',
    name,
    status,
    summary: oneLine(summaryOf(annotations, name)),
    labels,
  };
  const cluster = clusterFromLabels(labels);
  if (cluster) alarm.cluster = cluster;
  const site = siteFromLabels(labels);
  if (site) alarm.site = site;
  if (labels.severity) alarm.sourceSeverity = labels.severity;
  const component = inferComponentFromLabels(labels);
  if (component) {
    alarm.componentKind = component.kind;
    alarm.componentId = component.id;
  }
  if (alert.fingerprint?.trim()) alarm.fingerprint = alert.fingerprint.trim();
  const startsAt = parseRfc3339(alert.startsAt);
  if (startsAt !== undefined) alarm.startsAt = startsAt;
  // A firing alert's endsAt is only Alertmanager's guess of when it would time out.
  const endsAt = status === 'resolved' ? parseRfc3339(alert.endsAt) : undefined;
  if (endsAt !== undefined) alarm.endsAt = endsAt;
  return alarm;
}

// "4" is Alertmanager's payload version since 0.6; "1" is Grafana's webhook contact point, which
// sends the same shape. Absent only from hand-written senders. Anything else is a shape we have
// not read: refused, so a sender upgrade shows up as a clear 400 instead of half-read alarms.
const KNOWN_VERSIONS = new Set(['4', '1']);

/** The sender's text for a reason: quoted, and short. */
const shown = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

/**
 * The first time field of the alerts that is not RFC 3339. Go's zero time (Alertmanager's
 * `endsAt` of a firing alert) is a valid time; an empty string counts as absent.
 */
function badTime(alerts: ReadonlyArray<{ startsAt?: string | undefined; endsAt?: string | undefined }>) {
  for (const [i, alert] of alerts.entries()) {
    for (const field of ['startsAt', 'endsAt'] as const) {
      const value = alert[field];
      if (value === undefined || value.trim() === '' || isRfc3339(value)) continue;
      return `alerts[${i}].${field}: expected an RFC 3339 time, got ${shown(value)}`;
    }
  }
  return undefined;
}

/** Validates an Alertmanager webhook body and reads each of its alerts. Never throws. */
export function parseAlertmanagerWebhook(body: unknown): AlertmanagerWebhookResult {
  const parsed = PayloadSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) return { ok: false, reason: firstIssueReason(parsed.error) };
  const { groupKey, receiver, status, alerts, version } = parsed.data;
  if (version !== undefined && !KNOWN_VERSIONS.has(version.trim())) {
    return {
      ok: false,
      reason: `version: unsupported Alertmanager webhook version ${/^[\w.-]{1,16}$/.test(version) ? version : shown(version)}; opsbot reads version 4 (and Grafana's version 1)`,
    };
  }
  const timeProblem = badTime(alerts);
  if (timeProblem) return { ok: false, reason: timeProblem };
  return {
    ok: true,
    groupKey,
    receiver,
    alerts: alerts.map((alert) => cleanAlarm(toAlarm(alert, status))),
    truncatedAlerts: Math.max(0, Math.floor(parsed.data.truncatedAlerts ?? 0)),
  };
}

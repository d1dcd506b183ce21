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

/** The webhook body. Exported for the test that holds the hand-written check to it. */
export const PayloadSchema = z
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

type Payload = z.output<typeof PayloadSchema>;

const isText = (value: unknown) => typeof value === 'string';
const isStatus = (value: unknown) => value === 'firing' || value === 'resolved';
const absentOr = (value: unknown, check: (v: unknown) => boolean) => value === undefined || check(value);

function isLabelSet(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const key in value) {
    if (Object.hasOwn(value, key) && typeof (value as Record<string, unknown>)[key] !== 'string')
      return false;
  }
  return true;
}

function isAlert(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const a = value as Record<string, unknown>;
  return (
    isLabelSet(a.labels) &&
    absentOr(a.status, isStatus) &&
    absentOr(a.annotations, isLabelSet) &&
    absentOr(a.startsAt, isText) &&
    absentOr(a.endsAt, isText) &&
    absentOr(a.generatorURL, isText) &&
    absentOr(a.fingerprint, isText)
  );
}

/** Every element an alert, holes included (Array.every would skip the holes of `[,]`). */
function everyAlert(alerts: unknown[]): boolean {
  for (let i = 0; i < alerts.length; i++) if (!isAlert(alerts[i])) return false;
  return true;
}

/**
 * PayloadSchema's check by hand, for the common case of a body that passes it: zod's parse of a
 * 50-alert group (copying every label set) cost more than everything else the parser does. A body
 * that fails here goes through zod, which decides and names the first problem; both accept
 * unknown fields, and both read only own properties of a JSON-parsed body.
 */
function asPlainPayload(body: unknown): Payload | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const ok =
    isText(b.groupKey) &&
    isText(b.receiver) &&
    isStatus(b.status) &&
    Array.isArray(b.alerts) &&
    everyAlert(b.alerts) &&
    absentOr(b.version, isText) &&
    absentOr(b.groupLabels, isLabelSet) &&
    absentOr(b.commonLabels, isLabelSet) &&
    absentOr(b.commonAnnotations, isLabelSet) &&
    absentOr(b.externalURL, isText) &&
    absentOr(b.truncatedAlerts, (v) => typeof v === 'number' && Number.isFinite(v));
  return ok ? (b as Payload) : undefined;
}

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
  let data = asPlainPayload(body);
  if (!data) {
    const parsed = PayloadSchema.safeParse(body, { reportInput: true });
    if (!parsed.success) return { ok: false, reason: firstIssueReason(parsed.error) };
    data = parsed.data;
  }
  const { groupKey, receiver, status, alerts, version } = data;
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
    truncatedAlerts: Math.max(0, Math.floor(data.truncatedAlerts ?? 0)),
  };
}

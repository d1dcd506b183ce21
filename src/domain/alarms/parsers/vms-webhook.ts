// The VMS webhook door. VMS lets the cluster admin write the webhook body template, so we do
// not assume a shape: the tenant's mapping says at which dot path each field sits, and what
// the (renamable, per-cluster) severity names mean. Only the event name is required.
import type { AlarmStatus, ParsedAlarm, VmsSeverityLevel, VmsWebhookMapping } from '../types.js';
import { cleanAlarm } from './clean-alarm.js';
import { inferComponent } from './component.js';
import { oneLine, own } from './text.js';
import { parseTimestamp } from './time.js';
import { describePath, kindOf } from './zod-reason.js';

export type VmsWebhookResult = { ok: true; alarm: ParsedAlarm } | { ok: false; reason: string };

const LEVELS: readonly VmsSeverityLevel[] = ['info', 'minor', 'major', 'critical'];
const DEFAULT_PATHS = {
  eventName: 'event',
  severity: 'severity',
  cluster: 'cluster',
  object: 'object',
  message: 'message',
  status: 'state',
  id: 'id',
  timestamp: 'timestamp',
  site: 'site',
} as const;
type Field = keyof typeof DEFAULT_PATHS;
const DEFAULT_RESOLVED = ['resolved', 'cleared', 'clear', 'ok', 'closed', 'recovered', 'inactive'];

/** Walks a dot path through own properties only (`__proto__` and friends are not data). */
function valueAt(body: unknown, path: string): unknown {
  let node: unknown = body;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

type Read = { value?: string; raw?: unknown; problem?: string };

function pathOf(mapping: VmsWebhookMapping, field: Field): string {
  const configured = own(mapping, field);
  return typeof configured === 'string' && configured !== '' ? configured : DEFAULT_PATHS[field];
}

function read(body: unknown, mapping: VmsWebhookMapping, field: Field): Read {
  const path = pathOf(mapping, field);
  const raw = valueAt(body, path);
  if (raw === undefined || raw === null) return {};
  if (typeof raw === 'string') return raw.trim() === '' ? {} : { value: raw.trim(), raw };
  if ((typeof raw === 'number' && Number.isFinite(raw)) || typeof raw === 'boolean') {
    return { value: String(raw), raw };
  }
  return { problem: `${field}: expected text or a number at "${path}", got ${kindOf(raw)}` };
}

function levelIn(names: unknown, severity: string): VmsSeverityLevel | undefined {
  if (typeof names !== 'object' || names === null) return undefined;
  const wanted = severity.toLowerCase();
  for (const [name, level] of Object.entries(names)) {
    if (name.toLowerCase() === wanted && LEVELS.includes(level)) return level;
  }
  return undefined;
}

/** Per-cluster names first, then the tenant's, then the four built-in names. */
function resolveSeverity(mapping: VmsWebhookMapping, cluster: string | undefined, raw: string): string {
  const perCluster = own(mapping, 'clusterSeverities');
  const clusterNames =
    cluster && typeof perCluster === 'object' && perCluster !== null
      ? Object.entries(perCluster).find(([id]) => id.toLowerCase() === cluster.toLowerCase())?.[1]
      : undefined;
  const builtIn = LEVELS.find((l) => l === raw.toLowerCase());
  return levelIn(clusterNames, raw) ?? levelIn(own(mapping, 'severities'), raw) ?? builtIn ?? raw;
}

/** Reads one VMS webhook body through the tenant's mapping. Never throws. */
export function parseVmsWebhook(body: unknown, mapping: VmsWebhookMapping): VmsWebhookResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: `${describePath([])}: expected an object, got ${kindOf(body)}` };
  }
  const fields = Object.fromEntries(
    (Object.keys(DEFAULT_PATHS) as Field[]).map((field) => [field, read(body, mapping, field)]),
  ) as Record<Field, Read>;
  const problem = Object.values(fields).find((f) => f.problem)?.problem;
  if (problem) return { ok: false, reason: problem };
  const name = fields.eventName.value;
  if (!name) {
    const configured = own(mapping, 'eventName');
    const path = typeof configured === 'string' ? configured : DEFAULT_PATHS.eventName;
    return { ok: false, reason: `eventName: missing (expected the event name at "${path}")` };
  }

  const configuredWords: unknown = own(mapping, 'resolvedStatuses');
  const resolvedWords = (Array.isArray(configuredWords) ? configuredWords : DEFAULT_RESOLVED)
    .filter((w): w is string => typeof w === 'string')
    .map((w) => w.toLowerCase());
  const isResolvedWord = (v: string | undefined) =>
    v !== undefined && resolvedWords.includes(v.toLowerCase());
  const cluster = fields.cluster.value;
  const severityRaw = fields.severity.value;
  const status: AlarmStatus =
    isResolvedWord(fields.status.value) || isResolvedWord(severityRaw) ? 'resolved' : 'firing';

  const object = fields.object.value;
  const message = fields.message.value;
  const alarm: ParsedAlarm = {
    format: 'vms-webhook',
    name,
    status,
    summary: oneLine(message ?? `${name} on ${object ?? cluster ?? 'cluster'}`),
    labels: {},
  };
  const labels: Array<[string, string | undefined]> = [
    ['event', name],
    ['severity', severityRaw],
    ['object', object],
    ['status', fields.status.value],
    ['event_id', fields.id.value],
  ];
  for (const [key, value] of labels) if (value !== undefined) alarm.labels[key] = value;
  if (cluster) alarm.cluster = cluster;
  if (fields.site.value) alarm.site = fields.site.value;
  if (severityRaw && !isResolvedWord(severityRaw)) {
    alarm.sourceSeverity = resolveSeverity(mapping, cluster, severityRaw);
  }
  const component = inferComponent(object ?? message ?? '');
  if (component) {
    alarm.componentKind = component.kind;
    alarm.componentId = component.id;
  } else if (object) {
    alarm.componentId = object;
    if (object === cluster) alarm.componentKind = 'cluster';
  }
  const at = parseTimestamp(fields.timestamp.raw);
  if (fields.timestamp.raw !== undefined && at === undefined) {
    // A time we cannot read would silently become "now" and skew the SLA clock: refuse it.
    const got = fields.timestamp.raw;
    const shown =
      typeof got === 'string' ? JSON.stringify(got.length > 60 ? `${got.slice(0, 60)}…` : got) : String(got);
    return {
      ok: false,
      reason: `timestamp: expected an RFC 3339 time or epoch seconds/milliseconds at "${pathOf(mapping, 'timestamp')}", got ${shown}`,
    };
  }
  if (at !== undefined) {
    if (status === 'resolved') alarm.endsAt = at;
    else alarm.startsAt = at;
  }
  return { ok: true, alarm: cleanAlarm(alarm) };
}

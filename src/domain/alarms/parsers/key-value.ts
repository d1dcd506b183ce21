// Plain `key=value` alarm text, the lingua franca of scripts and syslog forwarders:
//   severity=critical cluster=sjc-obj-01 component=dnode id=dnode-3 alert=DNODE_DOWN summary="D-node down"
// Values may be "double" or 'single' quoted with backslash escapes. Every pair becomes a
// label; well-known keys also fill the alarm's fields.
import type { ParsedAlarm } from '../types.js';
import { inferComponent, kindFromWord } from './component.js';
import { oneLine } from './text.js';

const PAIR =
  /(?:^|[\s,;])([A-Za-z_][\w.-]{0,63})=("(?:[^"\\\n]|\\.){0,4000}"|'(?:[^'\\\n]|\\.){0,4000}'|[^\s"',;]{1,4000})/g;
const MAX_PAIRS = 100;

const NAME_KEYS = ['alert', 'alertname', 'alarm', 'event', 'name'];
const SEVERITY_KEYS = ['severity', 'sev', 'level', 'priority'];
const CLUSTER_KEYS = ['cluster', 'cluster_name', 'vms_cluster'];
const SITE_KEYS = ['site', 'datacenter', 'dc'];
const ID_KEYS = ['id', 'object', 'component_id', 'node', 'instance', 'host'];
const SUMMARY_KEYS = ['summary', 'message', 'msg', 'description', 'text'];
const STATUS_KEYS = ['status', 'state'];
const KNOWN = new Set([...NAME_KEYS, ...SEVERITY_KEYS, ...CLUSTER_KEYS, ...SUMMARY_KEYS, 'component']);

function unquote(raw: string): string {
  const q = raw[0];
  if ((q === '"' || q === "'") && raw.endsWith(q) && raw.length >= 2) {
    return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return raw;
}

function pairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const m of text.matchAll(PAIR)) {
    const key = (m[1] ?? '').toLowerCase();
    if (key !== '__proto__' && !Object.hasOwn(out, key)) out[key] = unquote(m[2] ?? '');
    if (++n >= MAX_PAIRS) break;
  }
  return out;
}

const pick = (kv: Record<string, string>, keys: readonly string[]) =>
  keys.map((k) => (Object.hasOwn(kv, k) ? kv[k]?.trim() : undefined)).find((v) => v);

/**
 * An alarm from `key=value` text, or undefined unless there are at least two pairs and
 * one of them is a key alarms use (alert/alertname/event/name, severity, cluster, summary…),
 * so ordinary chat with one `a=b` in it is not mistaken for an alarm.
 */
export function parseKeyValue(text: string): ParsedAlarm | undefined {
  const kv = pairs(text);
  const keys = Object.keys(kv);
  if (keys.length < 2 || !keys.some((k) => KNOWN.has(k))) return undefined;
  const name = pick(kv, NAME_KEYS) ?? 'unnamed';
  const status = /^(resolved|cleared|clear|ok|closed|recovered|inactive)$/i.test(pick(kv, STATUS_KEYS) ?? '')
    ? 'resolved'
    : 'firing';
  // Without a summary key, the words around the pairs are the summary ("cnode-12 eth3 link down").
  const rest = oneLine(text.replace(PAIR, ' '));
  const alarm: ParsedAlarm = {
    format: 'key-value',
    name,
    status,
    summary: oneLine(pick(kv, SUMMARY_KEYS) ?? (rest || name)),
    labels: kv,
  };
  const cluster = pick(kv, CLUSTER_KEYS);
  if (cluster) alarm.cluster = cluster;
  const site = pick(kv, SITE_KEYS);
  if (site) alarm.site = site;
  const severity = pick(kv, SEVERITY_KEYS);
  if (severity) alarm.sourceSeverity = severity;
  const id = pick(kv, ID_KEYS);
  const stated = kindFromWord(kv.component);
  const inferred = inferComponent(id ?? alarm.summary);
  // An explicit `component=` wins over what the id looks like; the id is kept either way.
  // The inferred id is normalised (`cnode-17.sjc.example.com` → `cnode-17`) so it matches
  // other doors; an id nothing recognises is kept as written.
  const kind = stated ?? inferred?.kind;
  const componentId = inferred?.id ?? id;
  if (kind) alarm.componentKind = kind;
  if (componentId) alarm.componentId = componentId;
  return alarm;
}

// Alarms the cluster management system (VMS) posts as Slack text. Two layouts:
//
//   bracket: [:emoji:] [SEVERITY] [[SEVERITY]] <cluster> [(<site>)] <EVENT_NAME> [<object>][: <message>]
//     :red_circle: [CRITICAL] sjc-obj-01 (San Jose) DNODE_DOWN dnode-3: D-node dnode-3 is not responding
//     :white_check_mark: [RESOLVED] sjc-obj-01 (San Jose) DNODE_DOWN dnode-3: D-node dnode-3 is back
//   pipe:    VMS | <severity> | <cluster> | <EVENT_NAME> | <object> | <message>
//     VMS | MAJOR | cluster=phx-obj-01 | NIC_LINK_DOWN | cnode-12/eth3 | Link down on port eth3
//     (any field may be written key=value instead, in any order; RESOLVED/CLEARED marks the clear)
//
// Cluster ids are lowercase and event names UPPER_SNAKE, which keeps this apart from
// Alertmanager titles such as `[FIRING:2] NodeDown (...)`.
import type { AlarmStatus, ParsedAlarm } from '../types.js';
import { inferComponent } from './component.js';
import { MAX_SUMMARY_CHARS, oneLine } from './text.js';

const BRACKET =
  /^(?::[\w+-]{1,40}:\s*)*(?:VMS\s*[:|-]?\s*)?\[([A-Za-z][\w-]{0,23})\](?:\s*\[([A-Za-z][\w-]{0,23})\])?\s+([a-z0-9][a-z0-9._-]{0,63})\s+(?:\(([^()\n]{1,80})\)\s+)?([A-Z][A-Z0-9_]{2,63})(?:\s+([^\s:]{1,200}))?\s*(?::\s*(.*))?$/;
const PIPE_START = /^(?::[\w+-]{1,40}:\s*)*VMS\s*\|/i;
const RESOLVED_WORD = /^(resolved|cleared|clear|ok|recovered|closed)$/i;
const MAX_LINES = 50;

interface VmsFields {
  severity?: string;
  resolved: boolean;
  cluster?: string;
  site?: string;
  event?: string;
  object?: string;
  message?: string;
  labels: Record<string, string>;
}

function fromBracket(line: string): VmsFields | undefined {
  const m = BRACKET.exec(line);
  if (!m) return undefined;
  const tags = [m[1], m[2]].filter((t): t is string => t !== undefined);
  const severity = tags.find((t) => !RESOLVED_WORD.test(t));
  return {
    ...(severity ? { severity } : {}),
    resolved: tags.some((t) => RESOLVED_WORD.test(t)),
    cluster: m[3],
    ...(m[4] ? { site: m[4].trim() } : {}),
    event: m[5],
    ...(m[6] ? { object: m[6] } : {}),
    ...(m[7]?.trim() ? { message: m[7].trim() } : {}),
    labels: {},
  };
}

const KEYS: Record<string, keyof Omit<VmsFields, 'labels' | 'resolved'> | 'status'> = {
  severity: 'severity',
  sev: 'severity',
  level: 'severity',
  cluster: 'cluster',
  site: 'site',
  event: 'event',
  alarm: 'event',
  name: 'event',
  object: 'object',
  message: 'message',
  msg: 'message',
  status: 'status',
  state: 'status',
};
const SLOTS = ['severity', 'cluster', 'event', 'object', 'message'] as const;

function fromPipe(line: string): VmsFields | undefined {
  if (!PIPE_START.test(line)) return undefined;
  const parts = line.split('|').map((p) => p.trim());
  const out: VmsFields = { resolved: false, labels: {} };
  const positional: string[] = [];
  for (const part of parts.slice(1)) {
    const kv = /^([A-Za-z_]\w{0,30})\s*=\s*(.*)$/.exec(part);
    const key = kv?.[1]?.toLowerCase();
    const target = key && Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (kv && key) {
      // Unknown keys (id=…, node=…) are kept as labels for rules to match on.
      const value = (kv[2] ?? '').trim().replace(/^"(.*)"$/, '$1');
      if (key !== '__proto__') out.labels[key] = value;
      if (target === 'status') out.resolved ||= RESOLVED_WORD.test(value);
      else if (target && value) out[target] = value;
    } else if (part !== '') {
      positional.push(part);
    }
  }
  // `VMS | RESOLVED | [MAJOR |] cluster | …`: the clear marker stands in the severity slot,
  // optionally followed by the original severity (an upper-case word without underscores).
  let rest = positional;
  let severitySlotUsed = out.severity !== undefined;
  if (!severitySlotUsed && RESOLVED_WORD.test(positional[0] ?? '')) {
    out.resolved = true;
    severitySlotUsed = true;
    const next = positional[1];
    const severity = next && /^[A-Z][A-Z0-9-]{0,23}$/.test(next) ? next : undefined;
    if (severity) out.severity = severity;
    rest = positional.slice(severity ? 2 : 1);
  }
  // Positional fields fill the slots keys left open, in order; extra ones belong to the message.
  const open = SLOTS.filter((slot) => out[slot] === undefined && !(slot === 'severity' && severitySlotUsed));
  rest.forEach((value, i) => {
    const slot = open[Math.min(i, open.length - 1)];
    if (!slot) return;
    out[slot] = i >= open.length ? `${out[slot]} | ${value}` : value;
  });
  if (out.severity && RESOLVED_WORD.test(out.severity)) {
    out.resolved = true;
    out.severity = undefined;
  }
  return out.event && /^[A-Za-z][\w.-]{1,63}$/.test(out.event) ? out : undefined;
}

function toAlarm(f: VmsFields & { event: string }): ParsedAlarm {
  const status: AlarmStatus = f.resolved ? 'resolved' : 'firing';
  const component = f.object ? inferComponent(f.object) : inferComponent(f.message ?? '');
  const alarm: ParsedAlarm = {
    format: 'vms-text',
    name: f.event,
    status,
    summary: oneLine(f.message ?? `${f.event} on ${f.object ?? f.cluster ?? 'cluster'}`, MAX_SUMMARY_CHARS),
    labels: f.labels,
  };
  if (f.cluster) alarm.cluster = f.cluster;
  if (f.site) alarm.site = f.site;
  if (f.severity) alarm.sourceSeverity = f.severity;
  if (component) {
    alarm.componentKind = component.kind;
    alarm.componentId = component.id;
  } else if (f.object) {
    alarm.componentId = f.object;
    if (f.object === f.cluster) alarm.componentKind = 'cluster';
  }
  return alarm;
}

/** The first line of `text` in a VMS layout, as a parsed alarm; undefined when none is. */
export function parseVmsText(text: string): ParsedAlarm | undefined {
  const lines = text.split('\n', MAX_LINES);
  for (const raw of lines) {
    const line = raw.trim();
    const fields = fromBracket(line) ?? fromPipe(line);
    if (fields?.event) return toAlarm({ ...fields, event: fields.event });
  }
  return undefined;
}

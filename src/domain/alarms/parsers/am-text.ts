// Reading Alertmanager-family Slack notifications (Alertmanager and Grafana share the
// template language and the subject line). What they post:
//   title    `[FIRING:2] NodeDown sjc-obj-01 (cnode-17 critical)` — group label values, then the
//            common labels' values in parentheses (Alertmanager's `__subject`); Grafana adds
//            `[FIRING:1, RESOLVED:1]`. Alertmanager's default text is empty: the title is all.
//   text     whatever the template writes; common shapes are read as key/values:
//            `Labels:` / `Annotations:` sections of ` - name = value` lines (Grafana's default),
//            `*Alert:* summary - `critical``, `*Description:* …`, `• name: value` (popular
//            Alertmanager templates), attachment fields (`title: value` lines).
// A grouped message becomes one alarm described by its first alert; its siblings arrive
// with their own fingerprints through the webhook door.
import type { AlarmStatus, ParsedAlarm } from '../types.js';
import { inferComponent, inferComponentFromLabels } from './component.js';
import { clusterFromLabels, clusterFromText, SEVERITY_WORD, siteFromLabels } from './labels.js';
import { oneLine } from './text.js';

const TITLE = /^\[(FIRING|RESOLVED)(?::\d{1,6})?(?:,\s*RESOLVED:\d{1,6})?\]\s*(.*)$/i;
const SECTION = /^(labels|details|annotations)\s*:?$/i;
const KEY_VALUE = /^(?:[-•◦*]\s*)?([A-Za-z_][\w .-]{0,40}?)\s*(=|:)\s*(.*)$/;
// Keys that describe the alert rather than identify it (annotations in Alertmanager terms).
const ANNOTATION_KEYS = new Set([
  'alert',
  'summary',
  'description',
  'message',
  'runbook',
  'runbook_url',
  'value',
  'values',
  'source',
  'silence',
  'dashboard',
  'panel',
  'started',
  'ended',
  'start_time',
  'end_time',
  'starts_at',
  'ends_at',
  'generator_url',
]);
const MAX_LINES = 400;

export interface AmTitle {
  status: AlarmStatus;
  /** The title without the `[FIRING:n]` tag. */
  rest: string;
  /** Values of the group labels (before the parentheses); the alert name comes first. */
  groupValues: string[];
  /** Values of the other common labels (inside the parentheses). */
  commonValues: string[];
}

export function parseAmTitle(line: string): AmTitle | undefined {
  const m = TITLE.exec(line.trim());
  if (!m) return undefined;
  // The attachment fallback is `<title> | <link>`; the link is not part of the subject.
  const rest = (m[2] ?? '').replace(/\s+\|\s+\S+$/, '').trim();
  const paren = /\(([^()]*)\)\s*$/.exec(rest);
  const group = paren ? rest.slice(0, paren.index) : rest;
  return {
    status: m[1]?.toUpperCase() === 'RESOLVED' ? 'resolved' : 'firing',
    rest,
    groupValues: group.split(/\s+/).filter(Boolean),
    commonValues: (paren?.[1] ?? '').split(/\s+/).filter(Boolean),
  };
}

interface AlertBlock {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The first line that was not a key/value: a template's free-form summary. */
  freeLine?: string;
}

const normKey = (key: string) =>
  key
    .trim()
    .toLowerCase()
    .replace(/[\s.-]+/g, '_');

/** Labels and annotations of the first alert in the lines after the title. */
export function readAlertBlock(lines: readonly string[]): AlertBlock {
  const block: AlertBlock = { labels: {}, annotations: {} };
  let mode: 'top' | 'labels' | 'annotations' = 'top';
  const seenTop = new Set<string>();
  let labelSections = 0;
  for (const raw of lines.slice(0, MAX_LINES)) {
    const line = raw.trim();
    if (line === '' || /^(firing|resolved)$/i.test(line)) continue;
    const section = SECTION.exec(line)?.[1]?.toLowerCase();
    if (section) {
      // A second Labels section is the next alert of the group: the first one is complete.
      if (section !== 'annotations' && ++labelSections > 1) break;
      mode = section === 'annotations' ? 'annotations' : 'labels';
      continue;
    }
    const kv = KEY_VALUE.exec(line);
    const value = kv?.[3]?.trim() ?? '';
    if (!kv || value === '' || value.startsWith('//')) {
      if (!/^https?:/i.test(line)) block.freeLine ??= line;
      continue;
    }
    const bullet = /^[-•◦*]/.test(line);
    if (mode !== 'top' && bullet) {
      const target = mode === 'labels' ? block.labels : block.annotations;
      const key = (kv[1] ?? '').trim();
      if (key !== '__proto__' && !Object.hasOwn(target, key)) target[key] = value;
      continue;
    }
    const key = normKey(kv[1] ?? '');
    // A repeated top-level key (`Alert:`, `Value:`) starts the next alert of the group.
    if (seenTop.has(key)) break;
    seenTop.add(key);
    mode = 'top';
    if (key === '__proto__') continue;
    if (ANNOTATION_KEYS.has(key)) block.annotations[key] = value;
    else block.labels[key] = value;
  }
  // `*Alert:* summary - `critical`` — the popular template appends the severity label.
  const alert = block.annotations.alert;
  const tail = alert ? /^(.*\S)\s+-\s+(\S+)$/.exec(alert) : null;
  if (tail?.[1] && tail[2] && SEVERITY_WORD.test(tail[2])) {
    block.annotations.alert = tail[1];
    block.labels.severity ??= tail[2];
  }
  return block;
}

function summaryOf(block: AlertBlock, title: AmTitle): string {
  const a = block.annotations;
  const head = a.summary ?? a.alert ?? a.message;
  const description = a.description;
  if (head && description && description !== head) return `${head} — ${description}`;
  return head ?? description ?? block.freeLine ?? (title.rest || 'Alertmanager notification');
}

/** A parsed alarm from an Alertmanager-family notification whose text is `text`. */
export function alarmFromAmText(text: string): ParsedAlarm | undefined {
  const lines = text.split('\n', MAX_LINES);
  const at = lines.findIndex((line) => TITLE.test(line.trim()));
  const title = at >= 0 ? parseAmTitle(lines[at] ?? '') : undefined;
  if (!title) return undefined;
  const block = readAlertBlock(lines.slice(at + 1));
  const labels = block.labels;
  const alarm: ParsedAlarm = {
    format: 'alertmanager-slack',
    name: labels.alertname ?? labels.alert_name ?? title.groupValues[0] ?? 'unnamed',
    status: title.status,
    summary: oneLine(summaryOf(block, title)),
    labels,
  };
  const cluster = clusterFromLabels(labels) ?? clusterFromText(text);
  if (cluster) alarm.cluster = cluster;
  const site = siteFromLabels(labels);
  if (site) alarm.site = site;
  const severity =
    labels.severity ?? [...title.groupValues, ...title.commonValues].find((v) => SEVERITY_WORD.test(v));
  if (severity) alarm.sourceSeverity = severity;
  const component = inferComponentFromLabels(labels) ?? inferComponent(`${title.rest}\n${text}`);
  if (component) {
    alarm.componentKind = component.kind;
    alarm.componentId = component.id;
  }
  return alarm;
}

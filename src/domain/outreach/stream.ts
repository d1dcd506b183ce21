// Shared reading of the alarm stream for the detectors. Every detector sorts with one total
// order, so its findings (and their keys) do not depend on the order the caller passes events in.
import type { OutreachAlarmEvent } from './types.js';

function cmp(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order: time, then identity and text, so equal-time events still sort the same way every run. */
export function compareEvents(a: OutreachAlarmEvent, b: OutreachAlarmEvent): number {
  return (
    cmp(a.at, b.at) ||
    cmp(a.tenantId, b.tenantId) ||
    cmp(a.cluster, b.cluster) ||
    cmp(a.componentId, b.componentId) ||
    cmp(a.name, b.name) ||
    // resolved before firing at the same instant: a bounce reads as "cleared, then fired again".
    cmp(a.status === 'resolved' ? 0 : 1, b.status === 'resolved' ? 0 : 1) ||
    cmp(a.summary, b.summary) ||
    cmp(JSON.stringify(a.labels), JSON.stringify(b.labels))
  );
}

/** Events at or before `now` (a later event has not happened from this cycle's point of view), sorted. */
export function pastEvents(events: readonly OutreachAlarmEvent[], now: number): OutreachAlarmEvent[] {
  return events.filter((e) => Number.isFinite(e.at) && e.at <= now).sort(compareEvents);
}

/**
 * The firing events that are transitions: the first event of an alarm (tenant, cluster, component,
 * name) or one following a resolved event. Repeated "still firing" notifications are not a new bounce.
 */
export function firingTransitions(sorted: readonly OutreachAlarmEvent[]): OutreachAlarmEvent[] {
  const last = new Map<string, OutreachAlarmEvent['status']>();
  const out: OutreachAlarmEvent[] = [];
  for (const e of sorted) {
    const id = `${e.tenantId}\u0000${e.cluster}\u0000${e.componentId}\u0000${e.name}`;
    if (e.status === 'firing' && last.get(id) !== 'firing') out.push(e);
    last.set(id, e.status);
  }
  return out;
}

/**
 * The node an alarm is about: a node/host label, else the component itself for C-/D-nodes, else
 * the first segment of a path-like component id ("dnode-3/fan-2" → "dnode-3").
 */
export function nodeOf(e: OutreachAlarmEvent): string {
  const label = e.labels.node ?? e.labels.hostname ?? e.labels.host;
  if (label) return label;
  if (e.componentKind === 'cnode' || e.componentKind === 'dnode') return e.componentId;
  return e.componentId.split('/')[0] ?? e.componentId;
}

/** Start of the aligned window (epoch-aligned multiples of `sizeMs`) that contains `t`. */
export function windowStart(t: number, sizeMs: number): number {
  return Math.floor(t / sizeMs) * sizeMs;
}

export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

export function byKey<T extends { key: string }>(a: T, b: T): number {
  return cmp(a.key, b.key);
}

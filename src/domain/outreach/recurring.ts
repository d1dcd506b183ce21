// Recurring-trouble detector: one component that keeps coming back (a NIC flapping 5 times in an
// hour), or one category of trouble spreading over several nodes of a cluster (3 nodes in 30 min).
// Either is a problem the customer will notice soon even when each alarm alone looks minor.
//
// The threshold is checked over a sliding window (t − window, t] ending at each firing transition,
// so a burst that straddles the hour is not missed. The finding's key names the epoch-aligned window
// that contains the transition which first met the threshold: a long-running flap yields one key
// per window (not one per bounce), and the key depends only on events of that window and the one
// before it, so re-running the detector on a longer or shorter history gives the same key.
// Pure: the caller passes `now`.
import { byKey, firingTransitions, groupBy, nodeOf, pastEvents, windowStart } from './stream.js';
import {
  type Finding,
  MINUTE_MS,
  type OutreachAlarmEvent,
  type OutreachStream,
  type RecurringDetectorSettings,
} from './types.js';

interface Hit {
  /** The transition that met the threshold. */
  at: number;
  /** Earliest event inside its window. */
  firstAt: number;
  events: OutreachAlarmEvent[];
}

/**
 * For time-sorted events, the first hit in each aligned window: an event whose window (at − W, at]
 * satisfies `enough`.
 */
function hitsPerWindow(
  sorted: readonly OutreachAlarmEvent[],
  windowMs: number,
  enough: (inWindow: OutreachAlarmEvent[]) => boolean,
): Map<number, Hit> {
  const hits = new Map<number, Hit>();
  let from = 0;
  for (let i = 0; i < sorted.length; i++) {
    const at = (sorted[i] as OutreachAlarmEvent).at;
    while ((sorted[from] as OutreachAlarmEvent).at <= at - windowMs) from++;
    const bucket = windowStart(at, windowMs);
    if (hits.has(bucket)) continue;
    const inWindow = sorted.slice(from, i + 1);
    if (enough(inWindow))
      hits.set(bucket, { at, firstAt: (inWindow[0] as OutreachAlarmEvent).at, events: inWindow });
  }
  return hits;
}

function minutesText(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;
}

export function detectRecurring(
  settings: RecurringDetectorSettings,
  stream: OutreachStream,
  now: number,
): Finding[] {
  const transitions = firingTransitions(pastEvents(stream.events, now));
  return [...componentRecurrence(settings, transitions), ...nodeSpread(settings, transitions)].sort(byKey);
}

function componentRecurrence(
  settings: RecurringDetectorSettings,
  transitions: OutreachAlarmEvent[],
): Finding[] {
  const windowMs = settings.componentWindowMinutes * MINUTE_MS;
  const watched = transitions.filter((e) => settings.componentKinds.includes(e.componentKind));
  const findings: Finding[] = [];
  for (const events of groupBy(
    watched,
    (e) => `${e.tenantId}\u0000${e.cluster}\u0000${e.componentId}`,
  ).values()) {
    const hits = hitsPerWindow(events, windowMs, (w) => w.length >= settings.componentCount);
    for (const [bucket, hit] of hits) {
      const last = hit.events[hit.events.length - 1] as OutreachAlarmEvent;
      findings.push({
        detector: 'recurring',
        tenantId: last.tenantId,
        key: `recurring:${last.tenantId}:${last.cluster}:${last.componentId}:${bucket}`,
        category: last.category,
        cluster: last.cluster,
        observation:
          `${last.componentKind} ${last.componentId} on cluster ${last.cluster} alarmed ` +
          `${hit.events.length} times within ${minutesText(settings.componentWindowMinutes)}`,
        facts: {
          kind: 'component',
          componentKind: last.componentKind,
          componentId: last.componentId,
          alarm: last.name,
          count: hit.events.length,
          firstAt: hit.firstAt,
          at: hit.at,
          windowStart: bucket,
          windowMinutes: settings.componentWindowMinutes,
        },
      });
    }
  }
  return findings;
}

function nodeSpread(settings: RecurringDetectorSettings, transitions: OutreachAlarmEvent[]): Finding[] {
  const windowMs = settings.nodeWindowMinutes * MINUTE_MS;
  const watched = transitions.filter((e) => settings.nodeCategories.includes(e.category));
  const findings: Finding[] = [];
  for (const events of groupBy(
    watched,
    (e) => `${e.tenantId}\u0000${e.cluster}\u0000${e.category}`,
  ).values()) {
    const nodesIn = (w: OutreachAlarmEvent[]) => [...new Set(w.map(nodeOf))].sort();
    const hits = hitsPerWindow(events, windowMs, (w) => nodesIn(w).length >= settings.nodeCount);
    for (const [bucket, hit] of hits) {
      const last = hit.events[hit.events.length - 1] as OutreachAlarmEvent;
      const nodes = nodesIn(hit.events);
      findings.push({
        detector: 'recurring',
        tenantId: last.tenantId,
        key: `spread:${last.tenantId}:${last.cluster}:${last.category}:${bucket}`,
        category: last.category,
        cluster: last.cluster,
        observation:
          `${last.category} alarms on ${nodes.length} nodes of cluster ${last.cluster} ` +
          `within ${minutesText(settings.nodeWindowMinutes)}`,
        facts: {
          kind: 'nodes',
          nodes,
          count: nodes.length,
          firstAt: hit.firstAt,
          at: hit.at,
          windowStart: bucket,
          windowMinutes: settings.nodeWindowMinutes,
        },
      });
    }
  }
  return findings;
}

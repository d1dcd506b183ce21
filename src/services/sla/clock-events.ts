// The incident timeline, read as the response clock reads it. The timeline is the one record of
// what happened (who acknowledged, when the severity changed and whether the customer agreed, a
// pause "waiting on customer"); a clock is never stored, only recomputed from these events, so
// a restart, a replay or a report months later gets the same answer.
import type { ClockEvent } from '../../domain/sla/clock.js';
import type { Severity, SlaPolicy } from '../../domain/sla/types.js';
import type { TimelineEntry, TimelineKind } from '../../store/incident-store.js';

/** Timeline kinds that can change a clock; every other entry is skipped without a read. */
export const CLOCK_KINDS: ReadonlySet<TimelineKind> = new Set<TimelineKind>([
  'opened',
  'severity',
  'ack',
  'resolve',
  'sla-response',
  'sla-pause',
  'sla-resume',
]);

const isSeverity = (n: unknown): n is Severity => n === 1 || n === 2 || n === 3 || n === 4;

/** The clock event a timeline entry stands for, if any. */
export function clockEventOf(entry: TimelineEntry, policy: SlaPolicy): ClockEvent | undefined {
  const data = (entry.data ?? {}) as Record<string, unknown>;
  const actor = entry.actor ?? undefined;
  const by = actor ? { actor } : {};
  switch (entry.kind) {
    case 'opened':
      return isSeverity(data.severity)
        ? { at: entry.at, kind: 'start', severity: data.severity, ...by }
        : undefined;
    case 'severity': {
      const { from, to } = data;
      if (!isSeverity(to)) return undefined;
      // Lower severity = a bigger number: a downgrade, which only the customer's agreement retargets.
      if (isSeverity(from) && to > from)
        return {
          at: entry.at,
          kind: 'downgrade',
          severity: to,
          customerAgreed: data.customerAgreed === true,
          ...by,
        };
      return { at: entry.at, kind: 'severity', severity: to, ...by };
    }
    case 'ack':
      return policy.responseOn.includes('ack') ? { at: entry.at, kind: 'response', ...by } : undefined;
    case 'sla-response':
      return { at: entry.at, kind: 'response', ...by };
    case 'resolve':
      // A person resolving it responded (unless the contract says otherwise); resolving by itself did not.
      return actor && policy.responseOn.includes('resolve')
        ? { at: entry.at, kind: 'response', actor }
        : { at: entry.at, kind: 'close' };
    case 'sla-pause':
      return { at: entry.at, kind: 'pause', reason: String(data.reason ?? ''), ...by };
    case 'sla-resume':
      return { at: entry.at, kind: 'resume', ...by };
    default:
      return undefined;
  }
}

export function clockEventsOf(timeline: readonly TimelineEntry[], policy: SlaPolicy): ClockEvent[] {
  return timeline.flatMap((entry) => {
    const event = clockEventOf(entry, policy);
    return event ? [event] : [];
  });
}

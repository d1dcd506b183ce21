// When does an incident's card go out, and when is it updated? Alertmanager's timing:
// group_wait before the first notification (collect the storm), then at most one update per
// group_interval, and only when something visible changed. Pure: the caller passes `now`.
import type { NormalizedAlarm } from './types.js';

export interface GroupTiming {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  resolveQuietPeriodMs: number;
}

/** Group key from the configured label names (default tenant + cluster + category). */
export function groupKey(labels: Record<string, string>, groupBy: string[]): string {
  return groupBy.map((name) => `${name}=${labels[name] ?? ''}`).join('|');
}

export interface CardClock {
  openedAt: number;
  cardPostedAt: number | null;
  cardRenderedAt: number | null;
  version: number;
  renderedVersion: number;
}

/** The instant the card must next be posted or updated, or undefined when it is up to date. */
export function cardDueAt(card: CardClock, timing: GroupTiming, now: number): number | undefined {
  if (card.cardPostedAt === null) return Math.max(now, card.openedAt + timing.groupWaitMs);
  if (card.version <= card.renderedVersion) return undefined;
  return Math.max(now, (card.cardRenderedAt ?? card.cardPostedAt) + timing.groupIntervalMs);
}

/** Human title for an incident from its first alarm. */
export function incidentTitle(alarm: Pick<NormalizedAlarm, 'summary' | 'name' | 'componentId'>): string {
  const summary = alarm.summary.trim();
  return (summary || `${alarm.name} on ${alarm.componentId}`).slice(0, 140);
}

import { cardDueAt } from '../../domain/alarms/grouping.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { TriagePolicy } from './policy.js';

export const CARD_JOB = 'incident.card';
export const REPEAT_JOB = 'incident.repeat';
export const AUTORESOLVE_JOB = 'incident.autoresolve';

/**
 * Decides when an incident's card is (re)rendered and enqueues the job. Alarm-driven changes are
 * coalesced by Alertmanager timing (one job per group_interval window, thanks to the key);
 * people's clicks are shown at once.
 */
export class CardScheduler {
  constructor(
    private readonly deps: { scheduler: Scheduler; incidents: IncidentStore; policy: TriagePolicy },
  ) {}

  /**
   * Something on the card changed because of alarms. `enqueued` holds the card keys the current
   * transaction already enqueued: a storm's alarms all name the same key, and asking SQLite again
   * for each of them would only hit the unique key. Returns the key of the card job that is now
   * pending, if any.
   */
  changed(incidentId: number, now: number, enqueued?: Set<string>): string | undefined {
    const incident = this.deps.incidents.get(incidentId);
    if (!incident) return undefined;
    const due = cardDueAt(incident, this.deps.policy, now);
    if (due === undefined) return undefined;
    const key = incident.cardPostedAt === null ? `card:${incidentId}:first` : `card:${incidentId}:at:${due}`;
    if (enqueued?.has(key)) return key;
    enqueued?.add(key);
    this.enqueueCard(incidentId, incident.channel, key, due);
    return key;
  }

  /** A person acted on the incident: show it now. `reason` makes the key unique (a timeline id). */
  now(incidentId: number, reason: string, now: number): void {
    const incident = this.deps.incidents.get(incidentId);
    if (!incident) return;
    // Before the first post, the pending first-card job will show the latest state anyway.
    if (incident.cardPostedAt === null) {
      this.changed(incidentId, now);
      return;
    }
    this.enqueueCard(incidentId, incident.channel, `card:${incidentId}:action:${reason}`, now);
  }

  /** A person opened the incident (a declared Sev1): its first card goes out now, without group_wait. */
  postNow(incidentId: number, now: number): void {
    const incident = this.deps.incidents.get(incidentId);
    if (incident) this.enqueueCard(incidentId, incident.channel, `card:${incidentId}:first`, now);
  }

  scheduleAutoResolve(incidentId: number, dueAt: number): void {
    this.deps.scheduler.enqueue({
      kind: AUTORESOLVE_JOB,
      payload: { incidentId, dueAt },
      key: `autoresolve:${incidentId}:${dueAt}`,
      runAt: dueAt,
    });
  }

  scheduleRepeat(incidentId: number, n: number, at: number): void {
    this.deps.scheduler.enqueue({
      kind: REPEAT_JOB,
      payload: { incidentId, n },
      key: `repeat:${incidentId}:${n}`,
      runAt: at,
    });
  }

  private enqueueCard(incidentId: number, channel: string, key: string, runAt: number): void {
    this.deps.scheduler.enqueueIfAbsent({
      kind: CARD_JOB,
      payload: { incidentId },
      key,
      runAt,
      lane: `slack:${channel}`,
    });
  }
}

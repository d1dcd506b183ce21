// A typed in-process event hub: how one capability hears what another did without either
// importing the other (triage posts a card → tenant rules open a case; a case opens → Jira
// escalation; a link is saved → the card is re-rendered).
//
// Listeners run synchronously, inside the writer's transaction: whatever they write or enqueue
// commits — or rolls back — together with the change that caused it. So a listener must not
// await or talk to the outside world; it records and enqueues jobs, and jobs do the talking.
import type { TimelineEntry } from '../store/incident-store.js';

export interface OpsEvents {
  /** A timeline entry was written. */
  timeline: TimelineEntry;
  /** An incident's first card is out (it has a ts people can link to). */
  'card.posted': { incidentId: number };
  /** Something shown on the card changed outside the alarm flow (a case or issue link). */
  'card.changed': { incidentId: number; reason: string };
  /** A notification about an incident addressed someone (a new card, a reminder): on-call load counts it. */
  'incident.paged': {
    key: string;
    incidentId: number;
    tenantId: string;
    userId: string;
    severity: number;
    at: number;
  };
  /** A Salesforce case exists for the incident. */
  'case.opened': { incidentId: number };
  /** The case poll saw a case of a tenant's account that opsbot did not open (e.g. the customer's). */
  'case.seen': {
    tenantId: string;
    caseId: string;
    caseNumber: string;
    origin: string | null;
    subject: string;
    createdAt: number;
  };
}

type Listener<K extends keyof OpsEvents> = (payload: OpsEvents[K]) => void;

export class EventHub {
  private readonly listeners = new Map<keyof OpsEvents, Array<Listener<never>>>();

  on<K extends keyof OpsEvents>(event: K, listener: Listener<K>): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener as Listener<never>);
    this.listeners.set(event, list);
  }

  emit<K extends keyof OpsEvents>(event: K, payload: OpsEvents[K]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as Listener<K>)(payload);
  }
}

// The one way an incident's timeline is written: the entry is stored and then announced on the
// event hub (inside the caller's transaction), so Salesforce comments, tenant rules and later
// capabilities react to it without the store knowing they exist.
import type { IncidentStore, NewTimelineEntry, TimelineEntry } from '../store/incident-store.js';
import type { EventHub } from './events.js';

export class Timeline {
  constructor(private readonly deps: { incidents: IncidentStore; events: EventHub }) {}

  record(entry: NewTimelineEntry): TimelineEntry {
    const written = this.deps.incidents.addTimeline(entry);
    this.deps.events.emit('timeline', written);
    return written;
  }
}

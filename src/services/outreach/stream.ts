// What the detectors read, loaded from the store: the tenant's recent incidents with their member
// alarms and every alarm occurrence of the lookback window (domain/outreach/detect.ts says how far
// back the enabled detectors look). One read per detection cycle, at one `now`.
import type { Category, ComponentKind } from '../../domain/alarms/types.js';
import type { OutreachIncident, OutreachStream } from '../../domain/outreach/index.js';
import type { Incident, IncidentStore } from '../../store/incident-store.js';
import type { OutreachStore } from '../../store/outreach-store.js';

export function outreachIncident(incidents: IncidentStore, incident: Incident): OutreachIncident {
  return {
    incidentId: incident.id,
    tenantId: incident.tenantId,
    cluster: incident.cluster,
    category: incident.category,
    severity: incident.severity,
    openedAt: incident.openedAt,
    title: incident.title,
    members: incidents.members(incident.id).map((m) => ({
      name: m.name,
      componentKind: m.componentKind,
      componentId: m.componentId,
      status: m.status,
      firstSeen: m.firstSeen,
      lastSeen: m.lastSeen,
      labels: m.labels,
      transitions: m.transitions,
      summary: m.summary,
    })),
  };
}

export function loadStream(
  deps: { incidents: IncidentStore; store: OutreachStore },
  tenantId: string,
  since: number,
  now: number,
): OutreachStream {
  const incidents = deps.store
    .recentIncidentIds(tenantId, since)
    .map((id) => deps.incidents.get(id))
    .filter((i): i is Incident => i !== undefined)
    .map((i) => outreachIncident(deps.incidents, i));
  const events = deps.store.alarmEvents(tenantId, since, now).map((e) => ({
    ...e,
    tenantId,
    category: e.category as Category,
    componentKind: e.componentKind as ComponentKind,
  }));
  return { incidents, events };
}

// What the detectors read, loaded from the store: the tenant's recent incidents with their member
// alarms and every alarm occurrence of the lookback window (domain/outreach/detect.ts says how far
// back the enabled detectors look). One read per detection cycle, at one `now`.
import type { Category, ComponentKind } from '../../domain/alarms/types.js';
import {
  DAY_MS,
  type DetectorSettings,
  lookbackMs,
  type OutreachIncident,
  type OutreachStream,
} from '../../domain/outreach/index.js';
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

/**
 * The capacity fit looks back days (lookbackDays, default 14) but only at capacity alarms; every
 * other detector needs hours. So the long window reads capacity alarms only and the short one
 * reads everything: a storm of link flaps two weeks ago is not re-read every minute.
 */
export function loadStream(
  deps: { incidents: IncidentStore; store: OutreachStore },
  tenantId: string,
  detectors: DetectorSettings,
  now: number,
): OutreachStream {
  const since = now - lookbackMs({ ...detectors, capacity: { ...detectors.capacity, enabled: false } });
  const capacitySince = detectors.capacity.enabled ? now - detectors.capacity.lookbackDays * DAY_MS : now;
  const incidents = deps.store
    .recentIncidentIds(tenantId, since)
    .map((id) => deps.incidents.get(id))
    .filter((i): i is Incident => i !== undefined)
    .map((i) => outreachIncident(deps.incidents, i));
  const older = capacitySince < since ? deps.store.capacityEvents(tenantId, capacitySince, since) : [];
  const events = [...older, ...deps.store.alarmEvents(tenantId, since, now)].map((e) => ({
    ...e,
    tenantId,
    category: e.category as Category,
    componentKind: e.componentKind as ComponentKind,
  }));
  return { incidents, events };
}

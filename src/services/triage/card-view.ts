// Assembles what an incident card shows from the store: one place that knows the card's data.
import type { Silence } from '../../domain/alarms/silences.js';
import { findSilence } from '../../domain/alarms/silences.js';
import type { Severity } from '../../domain/alarms/types.js';
import type { IncidentCardView } from '../../slack/views/incident-card.js';
import type { Incident, IncidentStore } from '../../store/incident-store.js';
import { incidentRef } from '../../store/incident-store.js';
import type { LinkStore } from '../../store/link-store.js';
import type { SilenceStore } from '../../store/silence-store.js';
import type { TenantDirectory } from '../tenant-directory.js';

export interface IntegrationStatus {
  case(tenantId: string): { enabled: boolean; why?: string };
  escalate(tenantId: string): { enabled: boolean; why?: string };
}

/** Until the Salesforce/Jira integrations exist, the card says why those buttons are missing. */
export const NO_INTEGRATIONS: IntegrationStatus = {
  case: () => ({ enabled: false, why: 'Salesforce is not connected to opsbot yet' }),
  escalate: () => ({ enabled: false, why: 'Jira/Orion is not connected to opsbot yet' }),
};

export class CardViewBuilder {
  constructor(
    private readonly deps: {
      incidents: IncidentStore;
      silences: SilenceStore;
      tenants: TenantDirectory;
      integrations: IntegrationStatus;
      links?: LinkStore;
    },
  ) {}

  build(incident: Incident, now: number): IncidentCardView {
    const { incidents, tenants, integrations } = this.deps;
    const tenant = tenants.tenant(incident.tenantId);
    const members = incidents.members(incident.id);
    const counts = incidents.counts(incident.id);
    const timeline = incidents.timeline(incident.id);
    const lastHumanSeverity = [...timeline].reverse().find((t) => t.kind === 'severity' && t.actor);
    const cluster = tenant?.clusters.find((c) => c.id === incident.cluster);
    const firstSeen = members.reduce((min, m) => Math.min(min, m.firstSeen), incident.openedAt);
    const lastSeen = members.reduce((max, m) => Math.max(max, m.lastSeen), incident.lastAlarmAt);
    const silence = this.groupSilence(incident, now);
    const view: IncidentCardView = {
      id: incident.id,
      ref: incidentRef(incident.id),
      tenantName: tenant?.name ?? incident.tenantId,
      cluster: incident.cluster,
      site: cluster?.site,
      category: incident.category,
      severity: incident.severity,
      status: incident.status,
      title: members.length > 1 ? `${incident.title} (+${members.length - 1} more)` : incident.title,
      alarmCount: counts.total,
      firingCount: counts.firing,
      suppressedCount: counts.inhibited,
      silencedCount: counts.silenced,
      flapping: incident.flapping,
      firstSeen,
      lastSeen,
      timezone: tenant?.timezone ?? 'UTC',
      responsible: tenant?.contacts.primary ?? '',
      recentAlarms: members
        .filter((m) => m.suppressedBy === null)
        .slice(0, 5)
        .map((m) => ({ summary: m.summary, componentId: m.componentId, status: m.status, at: m.lastSeen })),
      actions: {
        case: integrations.case(incident.tenantId),
        escalate: integrations.escalate(incident.tenantId),
      },
    };
    if (incident.acknowledgedBy && incident.acknowledgedAt !== null) {
      view.acknowledgedBy = { user: incident.acknowledgedBy, at: incident.acknowledgedAt };
    }
    if (incident.status === 'resolved' && incident.resolvedAt !== null) {
      view.resolvedBy = {
        user: incident.resolvedBy,
        at: incident.resolvedAt,
        auto: incident.resolvedBy === null,
      };
    }
    if (lastHumanSeverity?.actor) {
      const data = lastHumanSeverity.data as { from: Severity; reason: string } | undefined;
      if (data)
        view.severityChangedBy = { user: lastHumanSeverity.actor, from: data.from, reason: data.reason };
    }
    if (silence) view.silencedUntil = { until: silence.endsAt, by: silence.createdBy, id: silence.id };
    const sfCase = this.deps.links?.get(incident.id, 'salesforce');
    if (sfCase)
      view.caseLink = {
        label: `Case ${sfCase.ref}${sfCase.status ? ` (${sfCase.status})` : ''}`,
        url: sfCase.url,
      };
    const issue = this.deps.links?.get(incident.id, 'jira');
    if (issue)
      view.jiraLink = { label: `${issue.ref}${issue.status ? ` (${issue.status})` : ''}`, url: issue.url };
    return view;
  }

  /** An active silence that covers this incident's whole group (e.g. "Silence 1h" from the card). */
  private groupSilence(incident: Incident, now: number): Silence | undefined {
    const labels = Object.fromEntries(
      incident.groupKey.split('|').map((pair) => {
        const at = pair.indexOf('=');
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    );
    return findSilence(this.deps.silences.activeFor(incident.tenantId, now), labels, now);
  }
}

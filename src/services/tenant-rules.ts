// The tenant rules: which incidents get a Salesforce case and a Jira/Orion escalation without
// anyone asking. Sev1/Sev2 (per tenant) get a case once their first card is out, so the case can
// link to it; Sev1 is escalated once its case exists — at once when the tenant has no Salesforce.
// A severity raised after the card is out re-checks the rules (before, the first post does).

import type { IncidentStore } from '../store/incident-store.js';
import type { EventHub } from './events.js';
import type { TenantDirectory } from './tenant-directory.js';

/** What the rules need from the cases and escalations services. */
export interface CaseOpener {
  unavailable(tenantId: string): string | undefined;
  request(incidentId: number, requestedBy: string | null): unknown;
}
export interface Escalator {
  maybeAutoEscalate(incidentId: number): void;
}

export class TenantRules {
  constructor(
    private readonly deps: {
      incidents: IncidentStore;
      tenants: TenantDirectory;
      cases: CaseOpener;
      escalations: Escalator;
    },
  ) {}

  /** Wires the rules to the events that trigger them. */
  listen(events: EventHub): void {
    events.on('card.posted', ({ incidentId }) => this.apply(incidentId));
    events.on('timeline', (entry) => {
      if (entry.kind === 'severity' && this.deps.incidents.get(entry.incidentId)?.cardTs)
        this.apply(entry.incidentId);
    });
    events.on('case.opened', ({ incidentId }) => this.deps.escalations.maybeAutoEscalate(incidentId));
  }

  apply(incidentId: number): void {
    const { incidents, tenants, cases, escalations } = this.deps;
    const incident = incidents.get(incidentId);
    const tenant = incident && tenants.tenant(incident.tenantId);
    if (!incident || !tenant || incident.status === 'resolved') return;
    if (!cases.unavailable(tenant.id) && tenant.salesforce?.autoCaseSeverities.includes(incident.severity)) {
      cases.request(incident.id, null);
    } else {
      escalations.maybeAutoEscalate(incident.id);
    }
  }
}

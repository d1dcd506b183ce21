// Salesforce cases: opened from the card, `/opsbot case` or the tenant rules; the timeline
// mirrored as CaseComments; what people change in Salesforce read back by a recurring poll.
import type { CapabilityFactory } from '../app.js';
import { CaseService } from '../services/integrations/case-service.js';
import { registerCardButton } from '../slack/listeners/actions/incident-card.js';
import { caseCommand } from '../slack/listeners/commands/integrations.js';
import { integrationDeps } from './integration-deps.js';

declare module '../app.js' {
  interface CapabilityApis {
    cases: CaseService;
  }
}

export const cases: CapabilityFactory = (k) => {
  const service = new CaseService({ ...integrationDeps(k), tracker: k.opts.caseTracker });
  k.need('triage').cardActions.offer('case', (tenantId) => service.unavailable(tenantId));
  k.events.on('timeline', (entry) => service.onTimeline(entry));
  k.provide('cases', service);
  return {
    name: 'cases',
    jobs: service.jobs(),
    commands: [caseCommand({ cases: service, incidents: k.stores.incidents, tenants: k.tenants })],
    // Cards only show the button when Salesforce is connected; the service still checks and explains.
    slack: (surface) =>
      registerCardButton(surface, { staff: k.staff, chat: k.chat }, 'incident_case', (id, user) =>
        service.request(id, user),
      ),
    start: (now) => service.polling.ensure(now),
  };
};

// Jira/Orion escalations: from the card, `/opsbot escalate` or the tenant rules; status changes
// come back by webhook and by a recurring poll; "Send to Jira" mirrors thread messages.
import type { CapabilityFactory } from '../app.js';
import { jiraWebhookRoute } from '../http/jira-webhook.js';
import { EscalationService } from '../services/integrations/escalation-service.js';
import { registerCardButton } from '../slack/listeners/actions/incident-card.js';
import { escalateCommand } from '../slack/listeners/commands/integrations.js';
import * as sendToJira from '../slack/listeners/shortcuts/send-to-jira.js';
import { integrationDeps } from './integration-deps.js';

declare module '../app.js' {
  interface CapabilityApis {
    escalations: EscalationService;
  }
}

export const escalations: CapabilityFactory = (k) => {
  const service = new EscalationService({
    ...integrationDeps(k),
    trackers: k.opts.escalationTrackers ?? new Map(),
  });
  k.need('triage').cardActions.offer('escalate', (tenantId) => service.unavailable(tenantId));
  k.provide('escalations', service);
  return {
    name: 'escalations',
    jobs: service.jobs(),
    commands: [escalateCommand({ escalations: service, incidents: k.stores.incidents, tenants: k.tenants })],
    slack: (surface) => {
      registerCardButton(surface, { staff: k.staff, chat: k.chat }, 'incident_escalate', (id, user) =>
        service.request(id, user),
      );
      sendToJira.register(surface, {
        escalations: service,
        incidents: k.stores.incidents,
        staff: k.staff,
        chat: k.chat,
      });
    },
    routes: [
      jiraWebhookRoute({
        secret: k.env.JIRA_WEBHOOK_SECRET,
        escalations: service,
        bodyLimitBytes: k.config.triage.bodyLimitBytes,
        logger: k.logger.child({ component: 'webhooks' }),
      }),
    ],
    start: (now) => service.polling.ensure(now),
  };
};

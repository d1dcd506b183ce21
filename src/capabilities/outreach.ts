// Proactive outreach: tell the customer before the customer tells us, and measure how often we
// do. Detectors run over the incident and alarm stream (batched per tenant, as a job); each finding
// becomes a draft in the tenant's ops channel for the on-call to Send / Edit / Snooze / Discard;
// Send posts it in the tenant's shared channel (a durable, idempotent job); promised updates and a
// closing message come back as drafts; sent messages can be corrected or retracted. The customer's
// first signal (their message in the shared channel, a case they opened) is matched to incidents,
// staff can override it from the card, and `/outreach stats` and the weekly digest report the
// proactive rate. See docs/outreach.md and the README's "Proactive outreach" section.
import type { CapabilityFactory } from '../app.js';
import { OutreachService, outreachOf } from '../services/outreach/drafts.js';
import { FirstContactService, statsMessage } from '../services/outreach/first-contact.js';
import { registerCardButton } from '../slack/listeners/actions/incident-card.js';
import * as outreachActions from '../slack/listeners/actions/outreach.js';
import * as outreachCommand from '../slack/listeners/commands/outreach.js';
import * as customerMessages from '../slack/listeners/events/customer-messages.js';
import { SlackOutreachChat } from '../slack/outreach-chat.js';
import { OutreachStore } from '../store/outreach-store.js';

export const OVERRIDE_ACTION_IDS = {
  customerReported: 'incident_customer_reported',
  notRelated: 'incident_not_related',
} as const;

export const outreach: CapabilityFactory = (k) => {
  const store = new OutreachStore(k.db);
  const logger = k.logger.child({ component: 'outreach' });
  const service = new OutreachService({
    tx: k.tx,
    store,
    incidents: k.stores.incidents,
    links: k.stores.links,
    timeline: k.timeline,
    tenants: k.tenants,
    responders: k.responders,
    scheduler: k.scheduler,
    chat: k.chat,
    outreachChat: new SlackOutreachChat(k.slackCall, k.tenants),
    clock: k.clock,
    logger,
  });
  const firstContact = new FirstContactService({
    tx: k.tx,
    store,
    incidents: k.stores.incidents,
    timeline: k.timeline,
    tenants: k.tenants,
    clock: k.clock,
    cardLink: (incident) =>
      incident.cardTs
        ? `https://slack.com/archives/${incident.channel}/p${incident.cardTs.replace('.', '')}`
        : undefined,
  });
  k.events.on('timeline', (entry) => service.onTimeline(entry));
  k.events.on('timeline', (entry) => firstContact.onTimeline(entry));
  // A case the customer opened, seen by the Salesforce poll (cases capability).
  k.events.on('case.seen', (seen) =>
    firstContact.signal({
      tenantId: seen.tenantId,
      id: `sf:${seen.caseId}`,
      at: seen.createdAt,
      kind: 'customer-case',
      text: seen.subject,
    }),
  );

  // Who was first, settable from the card of every incident of a tenant with outreach on.
  const triage = k.need('triage');
  triage.cardActions.addButtons((tenantId) =>
    outreachOf(k.tenants.tenant(tenantId))
      ? [
          { actionId: OVERRIDE_ACTION_IDS.customerReported, text: 'Customer reported this' },
          { actionId: OVERRIDE_ACTION_IDS.notRelated, text: 'Not customer-related' },
        ]
      : [],
  );

  k.need('weeklyDigest').sections.add('outreach', ({ tenantId, from, to }) => {
    const tenant = k.tenants.tenant(tenantId);
    if (!tenant || !outreachOf(tenant)) return undefined;
    const stats = firstContact.stats(tenantId, from, to);
    return stats.impacting === 0 ? undefined : statsMessage(tenant.name, stats, 'last week');
  });

  // Drafts, their audit and the customer's signals are incident data: kept as long as incidents.
  k.need('retention').register({ name: 'outreach', keep: 'incidents', prune: (c, n) => store.prune(c, n) });

  return {
    name: 'outreach',
    jobs: service.jobs(),
    start: (now) => service.scanning.ensure(now),
    slack: (surface) => {
      outreachActions.register(surface, { outreach: service, staff: k.staff, chat: k.chat, logger });
      customerMessages.register(surface, {
        firstContact,
        tenants: k.tenants,
        staff: k.staff,
        isGuest: (user) => k.directory.isGuest(user),
        logger,
      });
      outreachCommand.register(surface, {
        firstContact,
        tenants: k.tenants,
        staff: k.staff,
        now: () => k.clock.now(),
      });
      const deps = { staff: k.staff, chat: k.chat };
      registerCardButton(surface, deps, OVERRIDE_ACTION_IDS.customerReported, (id, user) =>
        firstContact.override(id, 'customer-reported', user),
      );
      registerCardButton(surface, deps, OVERRIDE_ACTION_IDS.notRelated, (id, user) =>
        firstContact.override(id, 'not-related', user),
      );
    },
  };
};

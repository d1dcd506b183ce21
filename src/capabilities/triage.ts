// Alarm triage: three intake doors (Slack alarm channels, Alertmanager and VMS webhooks) → one
// pipeline → incidents with a card that updates in place, reminders while nobody acknowledges,
// auto-resolve, silences, and the daily digest of alarms nobody could parse.
import type { CapabilityFactory } from '../app.js';
import { toTriagePolicy } from '../config/triage-schema.js';
import { bold, code, emoji, msg } from '../domain/message.js';
import { webhookRoutes } from '../http/webhooks.js';
import { cardJobs } from '../services/triage/card-jobs.js';
import { CardScheduler } from '../services/triage/card-scheduler.js';
import { CardActionStatus, CardViewBuilder } from '../services/triage/card-view.js';
import { unclassifiedDigest } from '../services/triage/digest.js';
import { IncidentActions } from '../services/triage/incident-actions.js';
import { AlarmIntake } from '../services/triage/intake.js';
import { SlackAlarmDoor } from '../services/triage/slack-alarms.js';
import { TriageQueue } from '../services/triage/triage-queue.js';
import { SlackCardPublisher } from '../slack/card-publisher.js';
import * as incidentCard from '../slack/listeners/actions/incident-card.js';
import { triageCommands } from '../slack/listeners/commands/triage.js';
import * as alarmMessages from '../slack/listeners/events/alarm-messages.js';
import type { Incident } from '../store/incident-store.js';

declare module '../app.js' {
  interface CapabilityApis {
    /** Other capabilities add card buttons and ask for a re-render. */
    triage: {
      cardActions: CardActionStatus;
      cards: CardScheduler;
      actions: IncidentActions;
      /** Hands an incident's reminders to another capability (response clocks replace the repeat). */
      remindedElsewhere: (owner: (incident: Incident) => boolean) => void;
    };
  }
}

export const triage: CapabilityFactory = (k) => {
  const { incidents, alarms, triageInbox, silences, links } = k.stores;
  const policy = toTriagePolicy(k.config.triage);
  const cards = new CardScheduler({ scheduler: k.scheduler, incidents, policy });
  const cardActions = new CardActionStatus();
  const views = new CardViewBuilder({
    incidents,
    silences,
    tenants: k.tenants,
    responders: k.responders,
    links,
    actions: cardActions,
  });
  const intake = new AlarmIntake({
    tx: k.tx,
    alarms,
    inbox: triageInbox,
    incidents,
    timeline: k.timeline,
    silences,
    cards,
    policy,
    clock: k.clock,
    logger: k.logger.child({ component: 'triage' }),
    commits: k.commits,
  });
  const triageQueue = new TriageQueue({
    intake,
    inbox: triageInbox,
    tenants: k.tenants,
    tx: k.tx,
    logger: k.logger.child({ component: 'triage-queue' }),
    // An alarm that keeps failing is a bug to see, not to hide: its tenant's ops channel hears.
    onUntriaged: ({ rawId, tenantId, source, error }) => {
      const tenant = k.tenants.tenant(tenantId);
      if (!tenant) return;
      k.chat.post(
        { channel: tenant.channels.ops },
        msg(
          emoji('warning'),
          ` I stored an alarm from ${source} but could not triage it (raw alarm #${rawId}): `,
          code(error.slice(0, 200)),
          `\n`,
          bold('It is kept'),
          ' in the database (table triage_pending); no incident shows it until this is fixed.',
        ),
        `untriaged:${rawId}`,
      );
    },
  });
  const actions = new IncidentActions({
    tx: k.tx,
    incidents,
    timeline: k.timeline,
    silences,
    cards,
    clock: k.clock,
  });
  const digest = unclassifiedDigest({
    scheduler: k.scheduler,
    alarms,
    tenants: k.tenants,
    chat: k.chat,
    hour: policy.digestHour,
  });
  const reminderOwners: Array<(incident: Incident) => boolean> = [];
  k.provide('triage', {
    cardActions,
    cards,
    actions,
    remindedElsewhere: (owner) => reminderOwners.push(owner),
  });
  // A case or issue link changed what the card shows: show it now (`reason` keeps two apart).
  k.events.on('card.changed', ({ incidentId, reason }) =>
    cards.now(incidentId, `link:${reason}`, k.clock.now()),
  );

  return {
    name: 'triage',
    jobs: [
      ...cardJobs({
        incidents,
        timeline: k.timeline,
        events: k.events,
        tenants: k.tenants,
        responders: k.responders,
        views,
        cards,
        publisher: new SlackCardPublisher(k.slackCall),
        chat: k.chat,
        policy,
        clock: k.clock,
        remindedElsewhere: (incident) => reminderOwners.some((owner) => owner(incident)),
      }),
      digest.definition,
    ],
    commands: triageCommands({ incidents, silences, actions, views, tenants: k.tenants, clock: k.clock }),
    slack: (surface) => {
      alarmMessages.register(surface, {
        door: new SlackAlarmDoor({
          tenants: k.tenants,
          triage: triageQueue,
          incidents,
          timeline: k.timeline,
          clock: k.clock,
        }),
        logger: k.logger.child({ component: 'alarms' }),
      });
      incidentCard.register(surface, { actions, incidents, staff: k.staff, chat: k.chat, logger: k.logger });
    },
    routes: webhookRoutes({
      tenants: k.tenants,
      triage: triageQueue,
      tokens: k.env.WEBHOOK_TOKENS,
      bodyLimitBytes: policy.bodyLimitBytes,
      logger: k.logger.child({ component: 'webhooks' }),
    }),
    start: (now) => {
      digest.ensure(now);
      triageQueue.start();
    },
    stop: () => triageQueue.stop(),
    busy: () => triageQueue.pending > 0,
  };
};

// Job handlers that keep incident cards in step with the store: post/update the card, remind
// while nobody acknowledges, auto-resolve after the quiet period. Each is idempotent: it reads
// the current state and does nothing when there is nothing to do.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../domain/clock.js';
import { formatDuration } from '../../domain/clock.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { ChatSender, SlackCall } from '../../slack/outbox.js';
import { renderIncidentCard } from '../../slack/views/incident-card.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { SilenceStore } from '../../store/silence-store.js';
import type { TenantDirectory } from '../tenant-directory.js';
import { AUTORESOLVE_JOB, CARD_JOB, type CardScheduler, REPEAT_JOB } from './card-scheduler.js';
import type { CardViewBuilder } from './card-view.js';
import type { TriagePolicy } from './policy.js';

const CardPayload = z.object({ incidentId: z.number() });

/** Slack message metadata type that marks a message as an incident's card. */
export const CARD_EVENT_TYPE = 'opsbot_incident_card';

/** The ts of a card for this incident already in the channel, if a previous attempt posted one. */
async function findPostedCard(
  slackCall: SlackCall,
  channel: string,
  incidentId: number,
  openedAt: number,
): Promise<string | undefined> {
  const history = await slackCall('conversations.history', {
    channel,
    oldest: String(Math.floor(openedAt / 1000) - 1),
    include_all_metadata: true,
    limit: 200,
  });
  const messages = (history.messages ?? []) as Array<{
    ts?: string;
    metadata?: { event_type?: string; event_payload?: { incident_id?: number } };
  }>;
  return messages.find(
    (m) => m.metadata?.event_type === CARD_EVENT_TYPE && m.metadata.event_payload?.incident_id === incidentId,
  )?.ts;
}
const RepeatPayload = z.object({ incidentId: z.number(), n: z.number() });
const AutoResolvePayload = z.object({ incidentId: z.number(), dueAt: z.number() });

export interface CardJobDeps {
  scheduler: Scheduler;
  incidents: IncidentStore;
  silences: SilenceStore;
  tenants: TenantDirectory;
  views: CardViewBuilder;
  cards: CardScheduler;
  slackCall: SlackCall;
  chat: ChatSender;
  policy: TriagePolicy;
  clock: Clock;
  logger: Logger;
  /** The incident's first card is out (tenant rules open cases and escalations then, with its link). */
  onFirstPost?: (incidentId: number) => void;
}

export function registerCardJobs(deps: CardJobDeps): void {
  const { scheduler, incidents, cards, clock, policy } = deps;

  scheduler.register(
    CARD_JOB,
    async ({ incidentId }, { now, job }) => {
      const incident = incidents.get(incidentId);
      if (!incident) return { skipped: 'no such incident' };
      if (incident.cardTs && incident.version <= incident.renderedVersion) return { skipped: 'up to date' };
      const rendered = renderIncidentCard(deps.views.build(incident, now));
      if (!incident.cardTs) {
        // A retry (or a run after a crash) may follow a post that reached Slack before we could
        // record its ts: look for the card by its metadata before posting a second one.
        const earlier =
          job.attempts > 1
            ? await findPostedCard(deps.slackCall, incident.channel, incidentId, incident.openedAt)
            : undefined;
        const response = earlier
          ? await deps.slackCall('chat.update', {
              channel: incident.channel,
              ts: earlier,
              text: rendered.text,
              blocks: rendered.blocks,
            })
          : await deps.slackCall('chat.postMessage', {
              channel: incident.channel,
              text: rendered.text,
              blocks: rendered.blocks,
              unfurl_links: false,
              metadata: { event_type: CARD_EVENT_TYPE, event_payload: { incident_id: incidentId } },
            });
        const ts = String(earlier ?? response.ts);
        incidents.update(
          incidentId,
          { card_ts: ts, card_posted_at: now, card_rendered_at: now, rendered_version: incident.version },
          false,
        );
        if (incident.status === 'open') cards.scheduleRepeat(incidentId, 1, now + policy.repeatIntervalMs);
        deps.onFirstPost?.(incidentId);
      } else {
        await deps.slackCall('chat.update', {
          channel: incident.channel,
          ts: incident.cardTs,
          text: rendered.text,
          blocks: rendered.blocks,
        });
        incidents.update(incidentId, { card_rendered_at: now, rendered_version: incident.version }, false);
      }
      // Alarms that arrived while we were talking to Slack get the next window.
      cards.changed(incidentId, clock.now());
      return { rendered: incident.version };
    },
    CardPayload,
  );

  scheduler.register(
    REPEAT_JOB,
    async ({ incidentId, n }, { now }) => {
      const incident = incidents.get(incidentId);
      if (incident?.status !== 'open' || !incident.cardTs) return { skipped: 'not open' };
      if (incident.flapping) {
        cards.scheduleRepeat(incidentId, n + 1, now + policy.repeatIntervalMs);
        return { skipped: 'flapping' };
      }
      const tenant = deps.tenants.tenant(incident.tenantId);
      const counts = incidents.counts(incidentId);
      const who = tenant?.contacts.primary ? `<@${tenant.contacts.primary}> ` : '';
      const text = `${who}${incident.ref} (Sev${incident.severity}) is still firing and nobody has acknowledged it: ${counts.firing} firing alarm(s), open for ${formatDuration(now - incident.openedAt)}.`;
      deps.chat.post(
        { channel: incident.channel, thread_ts: incident.cardTs, text },
        `repeat:${incidentId}:${n}`,
      );
      incidents.update(incidentId, { repeats_sent: n }, false);
      incidents.addTimeline(incidentId, now, 'repeat', null, `Reminder #${n}: still unacknowledged`);
      cards.scheduleRepeat(incidentId, n + 1, now + policy.repeatIntervalMs);
      return { reminded: n };
    },
    RepeatPayload,
  );

  scheduler.register(
    AUTORESOLVE_JOB,
    async ({ incidentId, dueAt }, { now }) => {
      const incident = incidents.get(incidentId);
      // A newer firing alarm cleared or moved the due time: this occurrence is void.
      if (!incident || incident.status === 'resolved' || incident.resolveDueAt !== dueAt)
        return { skipped: true };
      incidents.update(incidentId, {
        status: 'resolved',
        resolved_at: now,
        resolved_by: null,
        resolve_due_at: null,
      });
      incidents.addTimeline(
        incidentId,
        now,
        'resolve',
        null,
        `Resolved automatically: all alarms cleared and stayed clear for ${formatDuration(policy.resolveQuietPeriodMs)}`,
      );
      cards.changed(incidentId, now);
      return { resolved: true };
    },
    AutoResolvePayload,
  );
}

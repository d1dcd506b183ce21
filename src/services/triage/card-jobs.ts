// Jobs that keep incident cards in step with the store: post/update the card, remind while
// nobody acknowledges, auto-resolve after the quiet period. Each is idempotent: it reads the
// current state and does nothing when there is nothing to do. How a card reaches chat (metadata,
// adopting a card a crashed attempt already posted) is the CardPublisher's business.
import { z } from 'zod';
import type { Clock } from '../../domain/clock.js';
import { formatDuration } from '../../domain/clock.js';
import { mention, msg } from '../../domain/message.js';
import { defineJob, type JobDefinition } from '../../jobs/definition.js';
import type { Incident, IncidentStore } from '../../store/incident-store.js';
import type { EventHub } from '../events.js';
import type { ChatPort } from '../ports.js';
import type { Responders } from '../responders.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { Timeline } from '../timeline.js';
import { AUTORESOLVE_JOB, CARD_JOB, type CardScheduler, REPEAT_JOB } from './card-scheduler.js';
import type { CardViewBuilder, IncidentCardView } from './card-view.js';
import type { TriagePolicy } from './policy.js';

/** Posts a card, or updates the one already out; returns the card's ts. */
export interface CardPublisher {
  publish(
    card: {
      incidentId: number;
      channel: string;
      openedAt: number;
      /** The card's ts when one is recorded. */
      ts: string | null;
      /** An earlier attempt may have reached chat without us recording the ts. */
      retry: boolean;
    },
    view: IncidentCardView,
  ): Promise<string>;
}

export interface CardJobDeps {
  incidents: IncidentStore;
  timeline: Timeline;
  events: EventHub;
  tenants: TenantDirectory;
  responders: Responders;
  views: CardViewBuilder;
  cards: CardScheduler;
  publisher: CardPublisher;
  chat: ChatPort;
  policy: TriagePolicy;
  clock: Clock;
  /** Incidents whose reminders another capability owns (a response clock): no generic repeat. */
  remindedElsewhere?: (incident: Incident) => boolean;
}

const CardPayload = z.object({ incidentId: z.number() });
const RepeatPayload = z.object({ incidentId: z.number(), n: z.number() });
const AutoResolvePayload = z.object({ incidentId: z.number(), dueAt: z.number() });

export function cardJobs(deps: CardJobDeps): JobDefinition<never>[] {
  const { incidents, cards, clock, policy } = deps;

  const card = defineJob({
    kind: CARD_JOB,
    payload: CardPayload,
    failure: { what: 'post or update the incident card' },
    run: async ({ incidentId }, { now, job }) => {
      const incident = incidents.get(incidentId);
      if (!incident) return { skipped: 'no such incident' };
      if (incident.cardTs && incident.version <= incident.renderedVersion) return { skipped: 'up to date' };
      const ts = await deps.publisher.publish(
        {
          incidentId,
          channel: incident.channel,
          openedAt: incident.openedAt,
          ts: incident.cardTs,
          retry: job.attempts > 1,
        },
        deps.views.build(incident, now),
      );
      const first = !incident.cardTs;
      incidents.update(
        incidentId,
        first
          ? { cardTs: ts, cardPostedAt: now, cardRenderedAt: now, renderedVersion: incident.version }
          : { cardRenderedAt: now, renderedVersion: incident.version },
        false,
      );
      if (first) {
        if (incident.status === 'open') cards.scheduleRepeat(incidentId, 1, now + policy.repeatIntervalMs);
        deps.events.emit('card.posted', { incidentId });
        const paged = deps.responders.responderFor(incident.tenantId, 'primary', now);
        if (paged)
          deps.events.emit('incident.paged', {
            key: `card:${incidentId}`,
            incidentId,
            tenantId: incident.tenantId,
            userId: paged,
            severity: incident.severity,
            at: now,
          });
      }
      // Alarms that arrived while we were talking to chat get the next window.
      cards.changed(incidentId, clock.now());
      return { rendered: incident.version };
    },
  });

  const repeat = defineJob({
    kind: REPEAT_JOB,
    payload: RepeatPayload,
    failure: { what: 'remind about an unacknowledged incident' },
    run: async ({ incidentId, n }, { now }) => {
      const incident = incidents.get(incidentId);
      if (incident?.status !== 'open' || !incident.cardTs) return { skipped: 'not open' };
      if (deps.remindedElsewhere?.(incident)) return { skipped: 'reminded by its response clock' };
      if (incident.flapping) {
        cards.scheduleRepeat(incidentId, n + 1, now + policy.repeatIntervalMs);
        return { skipped: 'flapping' };
      }
      const counts = incidents.counts(incidentId);
      const primary = deps.responders.responderFor(incident.tenantId, 'primary', now);
      deps.chat.post(
        { channel: incident.channel, threadTs: incident.cardTs },
        msg(
          primary ? [mention(primary), ' '] : undefined,
          `${incident.ref} (Sev${incident.severity}) is still firing and nobody has acknowledged it: ${counts.firing} firing alarm(s), open for ${formatDuration(now - incident.openedAt)}.`,
        ),
        `repeat:${incidentId}:${n}`,
      );
      incidents.update(incidentId, { repeatsSent: n }, false);
      if (primary)
        deps.events.emit('incident.paged', {
          key: `repeat:${incidentId}:${n}`,
          incidentId,
          tenantId: incident.tenantId,
          userId: primary,
          severity: incident.severity,
          at: now,
        });
      deps.timeline.record({
        incidentId,
        at: now,
        kind: 'repeat',
        actor: null,
        message: msg(`Reminder #${n}: still unacknowledged`),
      });
      cards.scheduleRepeat(incidentId, n + 1, now + policy.repeatIntervalMs);
      return { reminded: n };
    },
  });

  const autoResolve = defineJob({
    kind: AUTORESOLVE_JOB,
    payload: AutoResolvePayload,
    failure: { what: 'resolve a quiet incident automatically' },
    run: async ({ incidentId, dueAt }, { now }) => {
      const incident = incidents.get(incidentId);
      // A newer firing alarm cleared or moved the due time: this occurrence is void.
      if (!incident || incident.status === 'resolved' || incident.resolveDueAt !== dueAt)
        return { skipped: true };
      incidents.update(incidentId, {
        status: 'resolved',
        resolvedAt: now,
        resolvedBy: null,
        resolveDueAt: null,
      });
      deps.timeline.record({
        incidentId,
        at: now,
        kind: 'resolve',
        actor: null,
        message: msg(
          `Resolved automatically: all alarms cleared and stayed clear for ${formatDuration(policy.resolveQuietPeriodMs)}`,
        ),
      });
      cards.changed(incidentId, now);
      return { resolved: true };
    },
  });

  return [card, repeat, autoResolve] as JobDefinition<never>[];
}

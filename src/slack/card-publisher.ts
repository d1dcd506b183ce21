// How an incident card reaches Slack: rendered to Block Kit, posted with message metadata that
// names the incident, and updated in place afterwards. A retry (or a run after a crash) may follow
// a post that reached Slack before the ts was recorded: it first looks for the card by its
// metadata in conversations.history and adopts it instead of posting a second one.
import type { CardPublisher } from '../services/triage/card-jobs.js';
import type { IncidentCardView } from '../services/triage/card-view.js';
import { findPostedMessage, type SlackCall } from './outbox.js';
import { renderIncidentCard } from './views/incident-card.js';

/** Slack message metadata type that marks a message as an incident's card. */
export const CARD_EVENT_TYPE = 'opsbot_incident_card';

export class SlackCardPublisher implements CardPublisher {
  constructor(private readonly call: SlackCall) {}

  async publish(
    card: { incidentId: number; channel: string; openedAt: number; ts: string | null; retry: boolean },
    view: IncidentCardView,
  ): Promise<string> {
    const { text, blocks } = renderIncidentCard(view);
    const ts = card.ts ?? (card.retry ? await this.findPosted(card) : undefined);
    if (ts) {
      await this.call('chat.update', { channel: card.channel, ts, text, blocks });
      return ts;
    }
    const response = await this.call('chat.postMessage', {
      channel: card.channel,
      text,
      blocks,
      unfurl_links: false,
      metadata: { event_type: CARD_EVENT_TYPE, event_payload: { incident_id: card.incidentId } },
    });
    return String(response.ts);
  }

  /** The ts of a card for this incident already in the channel, if a previous attempt posted one. */
  private findPosted(card: { incidentId: number; channel: string; openedAt: number }) {
    return findPostedMessage(
      this.call,
      { channel: card.channel, oldest: String(Math.floor(card.openedAt / 1000) - 1) },
      CARD_EVENT_TYPE,
      (p) => p.incident_id === card.incidentId,
    );
  }
}

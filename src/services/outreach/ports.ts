// What the outreach services need from chat, beyond the durable thread posts of ChatPort: the
// draft's card in the ops channel (posted once, then updated in place) and the messages in the
// customer's shared channel (posted once per key, corrected, retracted). Implemented at the Slack
// edge (src/slack/outreach-chat.ts); services never see Slack payloads.
import type { Message } from '../../domain/message.js';
import type { Draft } from '../../store/outreach-store.js';

/** What the approver sees about a draft (rendered to Block Kit at the edge). */
export interface DraftCard {
  draft: Draft;
  tenantName: string;
  /** Who is asked to approve (the tenant's primary on-call now), if anybody is. */
  approver: string | undefined;
  incidentRef: string | undefined;
  /** Placeholders still to fill in before it can be sent, e.g. ['progress']. */
  missing: string[];
}

/** The customer channel refused the message for a reason retrying cannot fix. */
export class DeliveryRefused extends Error {
  override readonly name = 'DeliveryRefused';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface OutreachChat {
  /** Posts the draft's card (or updates the one already out); returns its ts. */
  publishDraft(card: DraftCard, retry: boolean): Promise<string>;
  /**
   * Posts into the customer channel once per key: a retry first looks for a message carrying the
   * key and adopts it. Throws DeliveryRefused for not_in_channel, is_archived, channel_not_found.
   */
  postCustomer(channel: string, message: Message, key: string, retry: boolean): Promise<string>;
  /** Replaces a message posted earlier (a correction). */
  updateCustomer(channel: string, ts: string, message: Message): Promise<void>;
  /** Deletes a message posted earlier (a retraction); a message already gone counts as deleted. */
  deleteCustomer(channel: string, ts: string): Promise<void>;
}

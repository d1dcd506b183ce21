// The Slack side of the outreach port: the draft card in the ops channel (posted with metadata
// naming the draft, adopted on a retry, updated in place), and the messages in the customer's
// shared channel (posted with the idempotency key as metadata, so a retried send finds the message
// an earlier attempt already posted instead of posting it twice). Errors retrying cannot fix
// (the bot is not in the channel, it is archived or gone) come back as DeliveryRefused in words.
import type { Message } from '../domain/message.js';
import { PermanentError } from '../jobs/errors.js';
import { DeliveryRefused, type DraftCard, type OutreachChat } from '../services/outreach/ports.js';
import type { TenantDirectory } from '../services/tenant-directory.js';
import { findPostedMessage, MESSAGE_EVENT_TYPE, type SlackCall } from './outbox.js';
import { DRAFT_EVENT_TYPE, renderDraftCard } from './views/outreach-draft.js';
import { toMrkdwn } from './views/render-message.js';

const REFUSALS: Record<string, string> = {
  not_in_channel: 'the bot is not a member of the customer channel (invite it with /invite @opsbot)',
  is_archived: 'the customer channel is archived (unarchive it or change tenants[].channels.customer)',
  channel_not_found:
    'the customer channel does not exist or the bot cannot see it (check tenants[].channels.customer)',
};

function slackErrorCode(error: unknown): string | undefined {
  if (!(error instanceof PermanentError)) return undefined;
  return /failed: ([a-z_]+)$/.exec(error.message)?.[1];
}

export class SlackOutreachChat implements OutreachChat {
  constructor(
    private readonly call: SlackCall,
    private readonly tenants: TenantDirectory,
  ) {}

  async publishDraft(card: DraftCard, retry: boolean): Promise<string> {
    const timezone = this.tenants.tenant(card.draft.tenantId)?.timezone ?? 'UTC';
    const { text, blocks } = renderDraftCard(card, timezone);
    const channel = card.draft.opsChannel;
    const ts =
      card.draft.opsTs ??
      (retry
        ? await findPostedMessage(
            this.call,
            { channel },
            DRAFT_EVENT_TYPE,
            (p) => p.draft_id === card.draft.id,
          )
        : undefined);
    if (ts) {
      await this.call('chat.update', { channel, ts, text, blocks });
      return ts;
    }
    const response = await this.call('chat.postMessage', {
      channel,
      text,
      blocks,
      unfurl_links: false,
      metadata: { event_type: DRAFT_EVENT_TYPE, event_payload: { draft_id: card.draft.id } },
    });
    return String(response.ts);
  }

  async postCustomer(channel: string, message: Message, key: string, retry: boolean): Promise<string> {
    return this.refusable(async () => {
      if (retry) {
        const earlier = await findPostedMessage(
          this.call,
          { channel },
          MESSAGE_EVENT_TYPE,
          (p) => p.key === key,
        );
        if (earlier) return earlier;
      }
      const response = await this.call('chat.postMessage', {
        channel,
        text: toMrkdwn(message),
        unfurl_links: false,
        unfurl_media: false,
        metadata: { event_type: MESSAGE_EVENT_TYPE, event_payload: { key } },
      });
      return String(response.ts);
    });
  }

  async updateCustomer(channel: string, ts: string, message: Message): Promise<void> {
    await this.refusable(() => this.call('chat.update', { channel, ts, text: toMrkdwn(message) }));
  }

  async deleteCustomer(channel: string, ts: string): Promise<void> {
    try {
      await this.call('chat.delete', { channel, ts });
    } catch (error) {
      if (slackErrorCode(error) === 'message_not_found') return; // already gone: retracted
      throw error;
    }
  }

  private async refusable<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const code = slackErrorCode(error);
      const words = code ? REFUSALS[code] : undefined;
      if (code && words) throw new DeliveryRefused(code, words);
      throw error;
    }
  }
}

// The Slack side of ButtonMessages: a structured message rendered to mrkdwn with one button
// under it, posted through the durable outbox like every other message.
import type { Message } from '../domain/message.js';
import type { ButtonMessages } from '../services/ports.js';
import type { SlackChat } from './outbox.js';
import { toMrkdwn } from './views/render-message.js';

export class SlackButtonMessages implements ButtonMessages {
  constructor(private readonly chat: SlackChat) {}

  postWithButton(
    channel: string,
    message: Message,
    button: { actionId: string; value: string; label: string },
    key: string,
  ): void {
    const text = toMrkdwn(message);
    this.chat.postRaw(
      {
        channel,
        text,
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text } },
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: button.actionId,
                value: button.value,
                text: { type: 'plain_text', text: button.label },
              },
            ],
          },
        ],
      },
      key,
    );
  }
}

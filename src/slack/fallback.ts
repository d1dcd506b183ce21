// Interactions nothing handles (a button on a card posted by an older version, an empty or
// unknown action_id, a view or shortcut we no longer define) must still be acknowledged within
// 3 s, or Slack shows the clicker an error. Registered after every capability: each catch-all
// leaves ids some listener owns alone (that listener acks) and answers the rest in plain words.
import type { App } from '@slack/bolt';
import { msg } from '../domain/message.js';
import type { ChatPort } from '../services/ports.js';
import type { SurfaceInventory } from './surface.js';

const GONE = msg(
  'That action is no longer available (the message may be from an older version of opsbot). Nothing was changed.',
);

export function registerFallbacks(app: App, inventory: SurfaceInventory, chat: ChatPort): void {
  const tell = (body: unknown) => {
    const b = body as {
      user?: { id?: string };
      channel?: { id?: string };
      trigger_id?: string;
      container?: { channel_id?: string };
    };
    const channel = b.channel?.id ?? b.container?.channel_id;
    if (b.user?.id && channel)
      chat.postEphemeral(channel, b.user.id, GONE, `gone:${b.trigger_id ?? Date.now()}`);
  };
  app.action(/.*/, async ({ action, ack, body }) => {
    const id = (action as { action_id?: string }).action_id ?? '';
    if (inventory.actions.has(id)) return;
    await ack();
    tell(body);
  });
  app.view(/.*/, async ({ view, ack }) => {
    if (inventory.views.has(view.callback_id)) return;
    await ack();
  });
  app.shortcut(/.*/, async ({ shortcut, ack, body }) => {
    if (inventory.shortcuts.has(shortcut.callback_id)) return;
    await ack();
    tell(body);
  });
}

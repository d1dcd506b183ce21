// What every message shortcut shares: acknowledge at once (Slack wants it within 3 s), answer
// the person ephemerally (through the outbox, keyed by the trigger), and refuse anyone who is
// not staff before the shortcut's own work.
import type { MessageShortcut } from '@slack/bolt';
import type { Message } from '../../../domain/message.js';
import type { ChatPort } from '../../../services/ports.js';
import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { SlackSurface } from '../../surface.js';

export interface ShortcutUse {
  shortcut: MessageShortcut;
  channel: string;
  user: string;
  reply: (message: Message) => void;
}

export function registerStaffShortcut(
  surface: SlackSurface,
  deps: { staff: StaffDirectory; chat: ChatPort },
  callbackId: string,
  refusal: Message,
  run: (use: ShortcutUse) => void,
): void {
  surface.shortcut(callbackId, async ({ ack, shortcut }) => {
    await ack();
    const s = shortcut as MessageShortcut;
    const channel = s.channel.id;
    const user = s.user.id;
    const reply = (message: Message) =>
      deps.chat.postEphemeral(channel, user, message, `shortcut:${s.trigger_id}`);
    if (!deps.staff.isStaff(user)) return reply(refusal);
    run({ shortcut: s, channel, user, reply });
  });
}

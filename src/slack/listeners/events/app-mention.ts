import { code, mention, msg } from '../../../domain/message.js';
import type { ChatPort } from '../../../services/ports.js';
import type { SlackSurface } from '../../surface.js';

/** Someone @-mentions the bot: answer in the thread with where to start. Sent through the outbox. */
export function register(surface: SlackSurface, deps: { chat: ChatPort }): void {
  surface.event('app_mention', ['app_mention'], async ({ event }) => {
    deps.chat.post(
      { channel: event.channel, threadTs: event.thread_ts ?? event.ts },
      msg(
        'Hi ',
        mention(event.user ?? ''),
        '! I triage alarms, open cases and escalations, and keep on-call honest. Type ',
        code('/opsbot help'),
        ' to see what I can do.',
      ),
      `mention:${event.channel}:${event.ts}`,
    );
  });
}

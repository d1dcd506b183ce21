import type { ChatSender } from '../../outbox.js';
import type { SlackSurface } from '../../surface.js';

/** Someone @-mentions the bot: answer in the thread with where to start. Sent through the outbox. */
export function register(surface: SlackSurface, deps: { chat: ChatSender }): void {
  surface.event('app_mention', ['app_mention'], async ({ event }) => {
    deps.chat.post(
      {
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        text: `Hi <@${event.user}>! I triage alarms, open cases and escalations, and keep on-call honest. Type \`/opsbot help\` to see what I can do.`,
      },
      `mention:${event.channel}:${event.ts}`,
    );
  });
}

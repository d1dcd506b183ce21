import type { Logger } from 'pino';
import type { SlackAlarmDoor, SlackMessage } from '../../../services/triage/slack-alarms.js';
import type { SlackSurface } from '../../surface.js';

/** Thin listener: every channel message goes to the Slack alarm door, which decides what it is. */
export function register(surface: SlackSurface, deps: { door: SlackAlarmDoor; logger: Logger }): void {
  surface.event('message', ['message.channels', 'message.groups'], async ({ event }) => {
    const outcome = await deps.door.handle(event as unknown as SlackMessage);
    if (outcome.result !== 'ignored')
      deps.logger.debug({ outcome, channel: event.channel }, 'alarm channel message');
  });
}

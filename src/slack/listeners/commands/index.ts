import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { SlackSurface } from '../../surface.js';
import { COMMAND, type CommandRouter } from './router.js';

/** Thin listener: parse the slash command, ask the router, answer ephemerally in the ack. */
export function register(
  surface: SlackSurface,
  deps: { router: CommandRouter; staff: StaffDirectory },
): void {
  surface.command(COMMAND, async ({ command, ack }) => {
    const reply = await deps.router.dispatch({
      userId: command.user_id,
      channelId: command.channel_id,
      rawText: command.text ?? '',
      isStaff: deps.staff.isStaff(command.user_id),
    });
    await ack({
      response_type: 'ephemeral',
      text: reply.text,
      ...(reply.blocks ? { blocks: reply.blocks } : {}),
    });
  });
}

// The swap request's *Take it* button: a teammate (staff) takes the requested shift; the answer
// goes to the clicker alone, the channel hears from the service.
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { msg } from '../../../domain/message.js';
import { TAKE_SWAP_ACTION } from '../../../services/oncall/overrides.js';
import type { SlackSurface } from '../../surface.js';
import type { OncallCommandDeps } from '../commands/oncall-context.js';

export function register(surface: SlackSurface, deps: OncallCommandDeps): void {
  surface.action(TAKE_SWAP_ACTION, async ({ ack, body, action }) => {
    await ack();
    const click = body as BlockAction;
    const user = click.user.id;
    const channel = click.channel?.id ?? '';
    const result = deps.staff.isStaff(user)
      ? deps.overrides.takeRequest(user, Number((action as ButtonAction).value), deps.clock.now())
      : { ok: false, message: msg('Only the vendor’s support staff can take on-call shifts.') };
    deps.chat.postEphemeral(
      channel,
      user,
      result.message,
      `ephemeral:${TAKE_SWAP_ACTION}:${click.trigger_id}`,
    );
  });
}

// `/handoff`: preview the next shift handoff of the team; `/handoff note <text>` leaves a note
// for it, `/handoff plan <text>` a planned change for the weekend handoff. Thin, like /oncall.
import { bold, code, type Message, msg } from '../../../domain/message.js';
import { formatLocal } from '../../../domain/oncall/index.js';
import type { SlackSurface } from '../../surface.js';
import { toMrkdwn } from '../../views/render-message.js';
import { type Ask, askOf, error, type OncallCommandDeps, refusal, teamFor } from './oncall-context.js';

export function register(surface: SlackSurface, deps: OncallCommandDeps): void {
  surface.command('/handoff', async ({ command, ack }) => {
    const refused = refusal(deps, command.user_id, command.channel_id);
    if (refused) return void (await ack({ response_type: 'ephemeral', text: refused }));
    const ask = await askOf(deps, command.user_id, command.channel_id, command.text ?? '');
    await ack({ response_type: 'ephemeral', text: toMrkdwn(handoffCommand(deps, ask)) });
  });
}

function handoffCommand(deps: OncallCommandDeps, a: Ask): Message {
  const [sub = '', ...rest] = a.args;
  const kind = sub.toLowerCase();
  if (kind === 'note' || kind === 'plan') {
    const text = rest.join(' ').trim();
    if (!text)
      return error(
        `Say what the ${kind} is.`,
        kind === 'note'
          ? '/handoff note "INC-4 waits for the RMA part"'
          : '/handoff plan "Sat 10:00 PT firmware upgrade on sjc-obj-01"',
      );
    const team = teamFor(deps, a, undefined);
    if (typeof team !== 'string') return team;
    deps.handoffs.note({ team, kind, author: a.user, text }, a.now);
    return msg(
      kind === 'note' ? 'Noted for the next shift handoff of ' : 'Added to the weekend handoff plan of ',
      team,
      '.',
    );
  }
  const team = teamFor(deps, a, sub || undefined);
  if (typeof team !== 'string')
    return msg(team, ' Example: ', code('/handoff'), ' or ', code('/handoff note <text>'));
  const preview = deps.handoffs.preview(team, a.now);
  if (!preview) return msg(`No handoff for ${team} in the next 14 days.`);
  return msg(
    bold(`Preview of the handoff at ${formatLocal(preview.at, a.zone)} (${a.zone})`),
    '\n\n',
    preview.message,
  );
}

// Buttons on outreach draft cards (Send, Edit, Snooze, Discard; Correct and Retract once sent) and
// the Edit modal. Thin: check the clicker is staff (anyone else — a customer in a shared channel —
// gets a polite refusal), call the outreach service, tell the clicker the result ephemerally.
import type { BlockAction, ButtonAction, ViewSubmitAction } from '@slack/bolt';
import type { Logger } from 'pino';
import { type Message, msg, plainText } from '../../../domain/message.js';
import type { OutreachService } from '../../../services/outreach/drafts.js';
import type { ActionResult, ChatPort } from '../../../services/ports.js';
import type { StaffDirectory } from '../../../services/staff-directory.js';
import type { SlackSurface } from '../../surface.js';
import {
  OUTREACH_ACTION_IDS,
  OUTREACH_EDIT_ACTION,
  OUTREACH_EDIT_BLOCK,
  OUTREACH_EDIT_VIEW,
  renderEditModal,
} from '../../views/outreach-draft.js';

/** What anyone who is not the vendor's staff reads when they press an internal button. */
export const STAFF_ONLY_REFUSAL = msg(
  'Sorry, this button is for the support team. If something is wrong, just write here and we will get back to you.',
);

export interface OutreachActionDeps {
  outreach: OutreachService;
  staff: StaffDirectory;
  chat: ChatPort;
  logger: Logger;
}

export function register(surface: SlackSurface, deps: OutreachActionDeps): void {
  const ids = OUTREACH_ACTION_IDS;
  const button = (actionId: string, run: (draftId: number, user: string) => ActionResult) =>
    surface.action(actionId, async ({ ack, body, action }) => {
      await ack();
      const click = body as BlockAction;
      const user = click.user.id;
      const result = deps.staff.isStaff(user)
        ? run(Number((action as ButtonAction).value), user)
        : { ok: false, message: STAFF_ONLY_REFUSAL };
      tell(deps.chat, click.channel?.id ?? '', user, result.message, `${actionId}:${click.trigger_id}`);
    });
  button(ids.send, (id, user) => deps.outreach.approve(id, user));
  button(ids.snooze, (id, user) => deps.outreach.snooze(id, user));
  button(ids.discard, (id, user) => deps.outreach.discard(id, user));
  button(ids.retract, (id, user) => deps.outreach.retract(id, user));

  for (const actionId of [ids.edit, ids.correct]) {
    surface.action(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const click = body as BlockAction;
      const user = click.user.id;
      const channel = click.channel?.id ?? '';
      if (!deps.staff.isStaff(user))
        return tell(deps.chat, channel, user, STAFF_ONLY_REFUSAL, `edit:${click.trigger_id}`);
      const found = deps.outreach.editable(Number((action as ButtonAction).value));
      if ('refused' in found)
        return tell(deps.chat, channel, user, msg(found.refused), `edit:${click.trigger_id}`);
      // The trigger expires 3 s after the click: this cannot wait in the job queue.
      try {
        await client.views.open({
          trigger_id: click.trigger_id,
          view: renderEditModal({
            draftId: found.draft.id,
            text: found.draft.text,
            sent: found.draft.status === 'sent',
          }),
        });
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not open the outreach edit modal');
      }
    });
  }

  surface.view(OUTREACH_EDIT_VIEW, async ({ ack, view, body }) => {
    const submit = body as ViewSubmitAction;
    const text = view.state.values[OUTREACH_EDIT_BLOCK]?.[OUTREACH_EDIT_ACTION]?.value ?? '';
    const draftId = readDraftId(view.private_metadata);
    if (!deps.staff.isStaff(submit.user.id) || draftId === undefined) {
      return void (await ack({
        response_action: 'errors',
        errors: { [OUTREACH_EDIT_BLOCK]: plainText(STAFF_ONLY_REFUSAL) },
      }));
    }
    const result = deps.outreach.edit(draftId, submit.user.id, text);
    if (!result.ok)
      return void (await ack({
        response_action: 'errors',
        errors: { [OUTREACH_EDIT_BLOCK]: plainText(result.message) },
      }));
    await ack();
  });
}

function readDraftId(raw: string | undefined): number | undefined {
  try {
    const parsed = JSON.parse(raw || '{}') as { draftId?: unknown };
    return typeof parsed.draftId === 'number' ? parsed.draftId : undefined;
  } catch {
    return undefined;
  }
}

function tell(chat: ChatPort, channel: string, user: string, message: Message, key: string): void {
  chat.postEphemeral(channel, user, message, `ephemeral:${key}`);
}

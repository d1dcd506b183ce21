// The outreach draft as the approver sees it in the tenant's ops channel: who is asked, what the
// detector saw (internal, never sent), the exact text the customer would read, and the buttons
// for where the draft is: Send / Edit / Snooze / Discard while it waits, Correct / Retract once
// sent, nothing once it is closed. Plus the Edit modal. Pure: the card view in, blocks out.
import type { ActionsBlockElement, Button, KnownBlock, View } from '@slack/types';
import type { DraftCard } from '../../services/outreach/ports.js';
import { escapeMrkdwn, formatInstant, LIMITS, mention, plain, truncate, truncateMrkdwn } from './mrkdwn.js';

export const OUTREACH_ACTION_IDS = {
  send: 'outreach_send',
  edit: 'outreach_edit',
  snooze: 'outreach_snooze',
  discard: 'outreach_discard',
  correct: 'outreach_correct',
  retract: 'outreach_retract',
} as const;

export const OUTREACH_EDIT_VIEW = 'outreach_edit_modal';
export const OUTREACH_EDIT_BLOCK = 'text';
export const OUTREACH_EDIT_ACTION = 'text_input';
/** Slack message metadata type of a draft card (a retried post finds the card it already made). */
export const DRAFT_EVENT_TYPE = 'opsbot_outreach_draft';

const KIND_LABEL = { initial: 'Outreach draft', update: 'Update draft', closing: 'Closing message draft' };
const DETECTOR_LABEL: Record<string, string> = {
  impact: 'customer impact',
  recurring: 'recurring trouble',
  capacity: 'capacity trend',
  performance: 'checkpoint latency',
};

export function renderDraftCard(card: DraftCard, timezone: string): { text: string; blocks: KnownBlock[] } {
  const { draft } = card;
  const about = [card.incidentRef, draft.detector ? DETECTOR_LABEL[draft.detector] : undefined]
    .filter(Boolean)
    .join(' · ');
  const title = `${KIND_LABEL[draft.kind]} for ${escapeMrkdwn(card.tenantName)}${about ? ` (${about})` : ''}`;
  const ask =
    draft.status === 'pending'
      ? `${card.approver ? `${mention(card.approver)} ` : ''}please review: on Send it goes to the customer's shared channel.`
      : statusLine(card, timezone);
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncateMrkdwn(`:speech_balloon: *${title}*\n${ask}`, 3000) },
    },
    context(`Internal, not sent: ${escapeMrkdwn(truncate(draft.observation, 500))}`),
    {
      type: 'section',
      text: { type: 'mrkdwn', text: truncateMrkdwn(quote(draft.text), LIMITS.sectionText) },
    },
  ];
  if (card.missing.length > 0 && (draft.status === 'pending' || draft.status === 'approved'))
    blocks.push(
      context(`:warning: Fill in ${card.missing.map((m) => `{${m}}`).join(', ')} with Edit before sending.`),
    );
  if (draft.lastError && draft.status === 'pending')
    blocks.push(context(`:x: The last send failed: ${escapeMrkdwn(truncate(draft.lastError, 500))}`));
  const buttons = actionsFor(card);
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  const text = truncateMrkdwn(
    `${KIND_LABEL[draft.kind]} for ${escapeMrkdwn(card.tenantName)}${card.approver && draft.status === 'pending' ? ` ${mention(card.approver)}` : ''}`,
    LIMITS.fallbackText,
  );
  return { text, blocks };
}

function statusLine(card: DraftCard, timezone: string): string {
  const d = card.draft;
  const by = d.approvedBy ? mention(d.approvedBy) : 'someone';
  switch (d.status) {
    case 'approved':
      return `:hourglass_flowing_sand: Approved by ${by}; posting${d.sendAt ? ` at ${formatInstant(d.sendAt, timezone)}` : ''}.`;
    case 'sent':
      return `:white_check_mark: Sent to the customer by ${by}${d.sentAt ? ` at ${formatInstant(d.sentAt, timezone)}` : ''}.`;
    case 'retracted':
      return ':wastebasket: Sent, then retracted from the customer channel.';
    case 'discarded':
      return ':no_entry_sign: Discarded: nothing was sent.';
    case 'expired':
      return ':zzz: Expired: nobody acted on it in time, nothing was sent.';
    default:
      return '';
  }
}

function actionsFor(card: DraftCard): ActionsBlockElement[] {
  const value = String(card.draft.id);
  const ids = OUTREACH_ACTION_IDS;
  if (card.draft.status === 'pending') {
    const send = button(ids.send, 'Send', value, 'primary');
    send.confirm = {
      title: plain('Send to the customer?', LIMITS.confirmTitle),
      text: plain(`Post this message in ${card.tenantName}'s shared channel now?`, LIMITS.confirmText),
      confirm: plain('Send', LIMITS.confirmButton),
      deny: plain('Not yet', LIMITS.confirmButton),
    };
    return [
      send,
      button(ids.edit, 'Edit', value),
      button(ids.snooze, 'Snooze 1h', value),
      button(ids.discard, 'Discard', value, 'danger'),
    ];
  }
  if (card.draft.status === 'sent') {
    const retract = button(ids.retract, 'Retract', value, 'danger');
    retract.confirm = {
      title: plain('Retract the message?', LIMITS.confirmTitle),
      text: plain('Delete this message from the customer channel?', LIMITS.confirmText),
      confirm: plain('Retract', LIMITS.confirmButton),
      deny: plain('Keep it', LIMITS.confirmButton),
    };
    return [button(ids.correct, 'Correct', value), retract];
  }
  return [];
}

export function renderEditModal(input: { draftId: number; text: string; sent: boolean }): View {
  return {
    type: 'modal',
    callback_id: OUTREACH_EDIT_VIEW,
    private_metadata: JSON.stringify({ draftId: input.draftId }),
    title: plain(input.sent ? 'Correct message' : 'Edit outreach', LIMITS.modalTitle),
    submit: plain(input.sent ? 'Correct' : 'Save', LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    blocks: [
      {
        type: 'input',
        block_id: OUTREACH_EDIT_BLOCK,
        label: plain(
          input.sent
            ? 'What the customer reads now (replaces the sent message)'
            : 'What the customer will read',
          LIMITS.inputLabel,
        ),
        element: {
          type: 'plain_text_input',
          action_id: OUTREACH_EDIT_ACTION,
          multiline: true,
          max_length: 3000,
          initial_value: input.text.slice(0, 3000),
        },
      },
    ],
  };
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${escapeMrkdwn(line)}`)
    .join('\n');
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncateMrkdwn(text, 1000) }] };
}

function button(actionId: string, text: string, value: string, style?: 'primary' | 'danger'): Button {
  const b: Button = { type: 'button', action_id: actionId, text: plain(text, LIMITS.buttonText), value };
  if (style) b.style = style;
  return b;
}

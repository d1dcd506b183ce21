// Payloads "from Slack" filled in from the stand-in's workspace: names looked up in state, and
// response_urls pointing back at the stand-in. Shapes come from slack-wire.ts (one implementation).
import {
  blockActionsPayload,
  type SlashCommandInput,
  type SlashCommandPayload,
  slashCommandPayload,
} from '../slack-wire.js';
import { wireMessage } from './methods/message-content.js';
import type { ResponseUrls } from './response-urls.js';
import type { WorkspaceState } from './state.js';

/** Slash command fields: `command`, `text`, `user_id`, `channel_id` required, the rest defaulted. */
export type SlashCommandFields = SlashCommandInput;

export function slashCommandFor(
  state: WorkspaceState,
  urls: ResponseUrls,
  fields: SlashCommandFields,
): SlashCommandPayload {
  const { identity } = state;
  return slashCommandPayload({
    ...fields,
    team_id: fields.team_id ?? identity.teamId,
    team_domain: fields.team_domain ?? identity.teamDomain,
    api_app_id: fields.api_app_id ?? identity.apiAppId,
    channel_name: fields.channel_name ?? state.channels.get(fields.channel_id)?.name,
    user_name: fields.user_name ?? state.users.get(fields.user_id)?.name,
    response_url: fields.response_url ?? urls.mint('commands', { channel: fields.channel_id }),
  });
}

export interface ButtonClick {
  /** Who clicks: a user id known to the stand-in. */
  user: string;
  channel: string;
  /** ts of the bot message carrying the button. */
  messageTs: string;
  actionId: string;
  value?: string;
  blockId?: string;
}

/** A block_actions payload for a click on a button of a message the bot posted. */
export function blockActionsFor(
  state: WorkspaceState,
  urls: ResponseUrls,
  click: ButtonClick,
): Record<string, unknown> {
  const stored = state.findMessage(click.channel, click.messageTs);
  // A click on a message that does not exist is a broken test, not something to forge.
  if (!stored) throw new Error(`no message ${click.messageTs} in ${click.channel} to click on`);
  const user = state.users.get(click.user);
  return blockActionsPayload({
    user: { id: click.user, name: user?.name },
    channel: { id: click.channel, name: state.channels.get(click.channel)?.name },
    message: { ...wireMessage(stored, state.identity), ts: stored.ts },
    actionId: click.actionId,
    value: click.value,
    blockId: click.blockId,
    teamId: state.identity.teamId,
    teamDomain: state.identity.teamDomain,
    apiAppId: state.identity.apiAppId,
    responseUrl: urls.mint('actions', { channel: click.channel, messageTs: click.messageTs }),
    nowMs: state.now(),
  });
}

// Validation and rendering of message bodies shared by chat.postMessage/update/postEphemeral.
import type { WorkspaceIdentity } from '../state.js';
import type { StoredMessage } from '../types.js';

const MAX_TEXT = 40_000;
const MAX_BLOCKS = 50;

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

/** Checks text/blocks/attachments as Slack does; `undefined` fields were not given. */
export function readContent(args: Record<string, unknown>): MessageContent | { error: string } {
  const { text, blocks, attachments } = args;
  if (text !== undefined && typeof text !== 'string') return { error: 'invalid_arguments' };
  if (typeof text === 'string' && text.length > MAX_TEXT) return { error: 'msg_too_long' };
  // A blocks value that is still a string failed to decode as JSON (see http-body.ts).
  if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > MAX_BLOCKS)) {
    return { error: 'invalid_blocks' };
  }
  if (attachments !== undefined && !Array.isArray(attachments)) return { error: 'invalid_attachments' };
  return { text, blocks, attachments };
}

export const isEmpty = (c: MessageContent): boolean =>
  (c.text ?? '') === '' && (c.blocks ?? []).length === 0 && (c.attachments ?? []).length === 0;

/** A stored message as Slack renders it in API responses and payloads. */
export function wireMessage(m: StoredMessage, id: WorkspaceIdentity): Record<string, unknown> {
  const out: Record<string, unknown> = {
    user: m.user,
    type: 'message',
    ts: m.ts,
    bot_id: m.bot_id,
    app_id: id.apiAppId,
    text: m.text,
    team: id.teamId,
    bot_profile: {
      id: id.botId,
      app_id: id.apiAppId,
      name: id.botName,
      icons: {},
      deleted: false,
      team_id: id.teamId,
    },
  };
  if (m.blocks !== undefined) out.blocks = m.blocks;
  if (m.attachments !== undefined) out.attachments = m.attachments;
  if (m.metadata !== undefined) out.metadata = m.metadata;
  if (m.thread_ts !== undefined) out.thread_ts = m.thread_ts;
  if (m.reply_count !== undefined) out.reply_count = m.reply_count;
  if (m.history.length > 1) out.edited = { user: m.user, ts: m.edited_ts };
  if (m.reactions !== undefined) out.reactions = m.reactions;
  if (m.files !== undefined) {
    out.files = m.files.map((f) => ({ id: f.id, name: f.name, title: f.title, user: m.user }));
    out.upload = true;
  }
  return out;
}

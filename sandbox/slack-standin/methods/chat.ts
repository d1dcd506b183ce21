// chat.* (and reactions.add) methods: the bot's messages are the main thing tests assert on, so these keep full state
// (threads, every version of an updated message) and answer with Slack's response shapes.
import type { ChannelRecord, WorkspaceState } from '../state.js';
import type { StoredMessage } from '../types.js';
import { type ApiResult, bool, fail, type MethodContext, type MethodHandler, str } from './common.js';
import { isEmpty, readContent, wireMessage } from './message-content.js';

export const isError = (value: ChannelRecord | ApiResult): value is ApiResult => 'ok' in value;

/** Stores a bot message, as a reply when `threadTs` is given (chat.postMessage, shared files). */
export function addBotMessage(state: WorkspaceState, message: StoredMessage, threadTs?: string): void {
  if (threadTs !== undefined) {
    message.thread_ts = threadTs;
    // Slack does not reject replies to unknown parents, so neither do we; a known parent gains a thread.
    const parent = state.findMessage(message.channel, threadTs);
    if (parent) {
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
    }
  }
  state.addMessage(message);
}

/** A channel the bot can see, or the error Slack gives. */
function visibleChannel(ctx: MethodContext, arg = 'channel'): ChannelRecord | ApiResult {
  const ref = str(ctx.args, arg);
  const channel = ref === undefined ? undefined : ctx.state.resolveChannel(ref);
  // Private channels the bot is not in are invisible to it, hence not_found rather than not_in_channel.
  if (!channel || (channel.is_private && !channel.is_member)) return fail('channel_not_found');
  return channel;
}

/** A channel the bot may post in (named by the `arg` argument), or the error Slack gives. */
export function writableChannel(ctx: MethodContext, arg = 'channel'): ChannelRecord | ApiResult {
  const channel = visibleChannel(ctx, arg);
  if (!isError(channel) && channel.is_archived) return fail('is_archived');
  if (!isError(channel) && !channel.is_member) return fail('not_in_channel');
  return channel;
}

/** The live message at channel+ts, or the error Slack gives. */
function findMessage(ctx: MethodContext, tsArg: string): StoredMessage | ApiResult {
  const channel = visibleChannel(ctx);
  if (isError(channel)) return channel;
  const ts = str(ctx.args, tsArg);
  const message = ts === undefined ? undefined : ctx.state.findMessage(channel.id, ts);
  if (!message) return fail('message_not_found');
  return message;
}

const isMessage = (value: StoredMessage | ApiResult): value is StoredMessage => !('ok' in value);

const postMessage: MethodHandler = (ctx) => {
  const { state, args } = ctx;
  const channel = writableChannel(ctx);
  if (isError(channel)) return channel;
  const content = readContent(args);
  if ('error' in content) return fail(content.error);
  if (isEmpty(content)) return fail('no_text');
  const ts = state.nextTs();
  const threadTs = str(args, 'thread_ts');
  const message: StoredMessage = {
    channel: channel.id,
    ts,
    user: state.identity.botUserId,
    bot_id: state.identity.botId,
    text: content.text ?? '',
    blocks: content.blocks,
    attachments: content.attachments,
    metadata: args.metadata,
    history: [
      { at: state.now(), text: content.text ?? '', blocks: content.blocks, attachments: content.attachments },
    ],
    deleted: false,
  };
  if (threadTs !== undefined && bool(args, 'reply_broadcast')) message.reply_broadcast = true;
  addBotMessage(state, message, threadTs);
  return { ok: true, channel: channel.id, ts, message: wireMessage(message, state.identity) };
};

const update: MethodHandler = (ctx) => {
  const { state, args } = ctx;
  const message = findMessage(ctx, 'ts');
  if (!isMessage(message)) return message;
  if (message.user !== state.identity.botUserId) return fail('cant_update_message');
  const content = readContent(args);
  if ('error' in content) return fail(content.error);
  if (content.text === undefined && content.blocks === undefined && content.attachments === undefined) {
    return fail('no_text');
  }
  // Omitted fields keep their previous value; an empty blocks/attachments array clears them (Slack docs).
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks !== undefined) message.blocks = content.blocks.length > 0 ? content.blocks : undefined;
  if (content.attachments !== undefined) {
    message.attachments = content.attachments.length > 0 ? content.attachments : undefined;
  }
  if (args.metadata !== undefined) message.metadata = args.metadata;
  message.edited_ts = state.nextTs();
  message.history.push({
    at: state.now(),
    text: message.text,
    blocks: message.blocks,
    attachments: message.attachments,
  });
  return {
    ok: true,
    channel: message.channel,
    ts: message.ts,
    text: message.text,
    message: wireMessage(message, state.identity),
  };
};

const postEphemeral: MethodHandler = (ctx) => {
  const { state, args } = ctx;
  const channel = writableChannel(ctx);
  if (isError(channel)) return channel;
  const user = str(args, 'user');
  if (user === undefined || !state.users.has(user)) return fail('user_not_found');
  const content = readContent(args);
  if ('error' in content) return fail(content.error);
  if (isEmpty(content)) return fail('no_text');
  // Ephemeral messages are not stored (nobody else can see them); the recorded call is the evidence.
  return { ok: true, message_ts: state.nextTs() };
};

const getPermalink: MethodHandler = (ctx) => {
  const message = findMessage(ctx, 'message_ts');
  if (!isMessage(message)) return message;
  const { teamDomain } = ctx.state.identity;
  let permalink = `https://${teamDomain}.slack.com/archives/${message.channel}/p${message.ts.replace('.', '')}`;
  if (message.thread_ts !== undefined && message.thread_ts !== message.ts) {
    permalink += `?thread_ts=${message.thread_ts}&cid=${message.channel}`;
  }
  return { ok: true, channel: message.channel, permalink };
};

const chatDelete: MethodHandler = (ctx) => {
  const message = findMessage(ctx, 'ts');
  if (!isMessage(message)) return message;
  if (message.user !== ctx.state.identity.botUserId) return fail('cant_delete_message');
  message.deleted = true;
  return { ok: true, channel: message.channel, ts: message.ts };
};

const reactionsAdd: MethodHandler = (ctx) => {
  const name = str(ctx.args, 'name');
  if (name === undefined) return fail('invalid_name');
  const message = findMessage(ctx, 'timestamp');
  if (!isMessage(message)) return message;
  const me = ctx.state.identity.botUserId;
  message.reactions ??= [];
  const reaction = message.reactions.find((r) => r.name === name.replace(/:/g, ''));
  if (reaction?.users.includes(me)) return fail('already_reacted');
  if (reaction) {
    reaction.users.push(me);
    reaction.count += 1;
  } else {
    message.reactions.push({ name: name.replace(/:/g, ''), users: [me], count: 1 });
  }
  return { ok: true };
};

/**
 * conversations.history: top-level messages, newest first, within [oldest, latest]. Metadata is
 * only included with include_all_metadata=true, as on Slack.
 */
const conversationsHistory: MethodHandler = ({ state, args }) => {
  const channel = str(args, 'channel');
  if (channel === undefined || !state.channels.has(channel)) return fail('channel_not_found');
  const oldest = str(args, 'oldest') ?? '0';
  const latest = str(args, 'latest');
  const limit = Math.min(1000, Number(str(args, 'limit') ?? 100) || 100);
  const withMetadata = bool(args, 'include_all_metadata');
  const messages = state
    .messages(channel)
    .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
    .filter((m) => Number(m.ts) >= Number(oldest) && (latest === undefined || Number(m.ts) <= Number(latest)))
    .reverse()
    .slice(0, limit)
    .map((m) => {
      const wire = wireMessage(m, state.identity);
      if (!withMetadata) delete wire.metadata;
      return wire;
    });
  return { ok: true, messages, has_more: false, pin_count: 0 };
};

/** conversations.replies: the parent and its replies, oldest first (metadata as in history). */
const conversationsReplies: MethodHandler = ({ state, args }) => {
  const channel = str(args, 'channel');
  const ts = str(args, 'ts');
  if (channel === undefined || !state.channels.has(channel)) return fail('channel_not_found');
  if (ts === undefined) return fail('invalid_arguments');
  const withMetadata = bool(args, 'include_all_metadata');
  const messages = state
    .messages(channel)
    .filter((m) => m.ts === ts || m.thread_ts === ts)
    .map((m) => {
      const wire = wireMessage(m, state.identity);
      if (!withMetadata) delete wire.metadata;
      return wire;
    });
  if (messages.length === 0) return fail('thread_not_found');
  return { ok: true, messages, has_more: false };
};

export const chatMethods: Record<string, MethodHandler> = {
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'chat.delete': chatDelete,
  'reactions.add': reactionsAdd,
};

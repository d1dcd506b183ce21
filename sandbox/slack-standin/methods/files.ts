// files.getUploadURLExternal and files.completeUploadExternal: the two Web API halves of Slack's
// external upload, which is what WebClient.filesUploadV2 does (the bytes go to the upload URL in
// between, served by ../uploads.ts). A completed upload with a channel becomes a bot message there —
// text = the initial comment, `files` = the files — so the e2e harness sees it, and a test must
// claim it, like any other post.
import { newId } from '../../slack-wire.js';
import type { UploadRecord } from '../state.js';
import type { StoredMessage } from '../types.js';
import { addBotMessage, isError, writableChannel } from './chat.js';
import { type ApiResult, fail, type MethodHandler, str } from './common.js';

const MAX_COMMENT = 40_000;

const getUploadURLExternal: MethodHandler = ({ args, state, uploadUrlFor }) => {
  const filename = str(args, 'filename');
  const length = Number(str(args, 'length'));
  if (filename === undefined || !Number.isInteger(length) || length < 0) return fail('invalid_arguments');
  const id = newId('F');
  state.uploads.set(id, { id, filename, length });
  return { ok: true, upload_url: uploadUrlFor(id), file_id: id };
};

interface FileRef {
  id: string;
  title?: string;
}

function readFileRefs(value: unknown): FileRef[] | undefined {
  // A `files` value that is still a string failed to decode as JSON (see http-body.ts).
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const refs: FileRef[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { id, title } = item as Record<string, unknown>;
    if (typeof id !== 'string' || (title !== undefined && typeof title !== 'string')) return undefined;
    refs.push({ id, title });
  }
  return refs;
}

/**
 * Shares uploaded files, once: Slack documents that this method can only be called once per
 * upload, so a second completion — like an id Slack never issued, or one whose bytes were never
 * posted — answers `file_not_found`. Everything is checked before anything changes.
 */
const completeUploadExternal: MethodHandler = (ctx) => {
  const { args, state } = ctx;
  const refs = readFileRefs(args.files);
  if (!refs) return fail('invalid_arguments');
  const uploads: Array<{ ref: FileRef; upload: UploadRecord }> = [];
  for (const ref of refs) {
    const upload = state.uploads.get(ref.id);
    if (!upload || upload.bytes === undefined || upload.completed) return fail('file_not_found');
    uploads.push({ ref, upload });
  }
  const initialComment = str(args, 'initial_comment');
  if (initialComment !== undefined && initialComment.length > MAX_COMMENT) return fail('msg_too_long');
  const channelArg = str(args, 'channel_id') !== undefined ? 'channel_id' : 'channels';
  const channel = str(args, channelArg) === undefined ? undefined : writableChannel(ctx, channelArg);
  if (channel && isError(channel)) return channel;
  const threadTs = channel ? str(args, 'thread_ts') : undefined;

  const ts = channel ? state.nextTs() : undefined;
  for (const { ref, upload } of uploads) {
    upload.completed = {
      title: ref.title ?? upload.filename,
      channel: channel?.id,
      ts,
      threadTs,
      initialComment,
    };
  }
  if (channel && ts) {
    const text = initialComment ?? '';
    const message: StoredMessage = {
      channel: channel.id,
      ts,
      user: state.identity.botUserId,
      bot_id: state.identity.botId,
      text,
      files: uploads.map(({ upload }) => ({
        id: upload.id,
        name: upload.filename,
        title: upload.completed?.title ?? upload.filename,
      })),
      history: [{ at: state.now(), text }],
      deleted: false,
    };
    addBotMessage(state, message, threadTs);
  }
  const files = uploads.map(({ upload }) => fileObject(upload, state.identity.botUserId, state.now()));
  return { ok: true, files } satisfies ApiResult;
};

/** The (abridged) file object Slack returns. */
function fileObject(upload: UploadRecord, user: string, nowMs: number): Record<string, unknown> {
  return {
    id: upload.id,
    created: Math.floor(nowMs / 1000),
    name: upload.filename,
    title: upload.completed?.title ?? upload.filename,
    user,
    size: upload.bytes?.length ?? 0,
  };
}

export const fileMethods: Record<string, MethodHandler> = {
  'files.getUploadURLExternal': getUploadURLExternal,
  'files.completeUploadExternal': completeUploadExternal,
};

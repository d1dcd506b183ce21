// Posting a file (a CSV report) to a channel or thread, durably (DESIGN.md §2–4). FilePort.upload
// enqueues a `slack.file` job; its run does what WebClient.filesUploadV2 does —
// files.getUploadURLExternal, POST the bytes to the upload URL, files.completeUploadExternal — but as
// three steps, each through the kernel's circuit breaker, and checkpoints each result in the job. A
// single filesUploadV2 call would hide the file id when its last step fails, and a retry could only
// upload and share the file again. The job shares the channel's lane with SlackChat's messages, so
// a report and the message announcing it stay in order.
import type { Logger } from 'pino';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../jobs/definition.js';
import { PermanentError, RetryableError } from '../jobs/errors.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { SlackCall } from './outbox.js';

export const SLACK_FILE = 'slack.file';

export interface FileToPost {
  channel: string;
  /** Share the file as a reply in this thread (the parent's ts). */
  threadTs?: string;
  filename: string;
  title: string;
  /** UTF-8 text (a CSV report). */
  content: string;
  /** The message text that introduces the file. */
  initialComment?: string;
}

/** Slack side of "post this file": durable, and posted once for one key. */
export interface FilePort {
  /** Enqueues the upload; the same `key` again is the same upload (it is not posted twice). */
  upload(file: FileToPost, key: string): void;
}

/** What earlier attempts already did; stored in the job (checkpoint) so a retry resumes there. */
const Progress = z.object({
  fileId: z.string(),
  uploadUrl: z.string(),
  /** The bytes reached the upload URL. */
  uploaded: z.boolean(),
  /** files.completeUploadExternal was (maybe) sent: an attempt got no definite answer to it. */
  completing: z.boolean(),
});
type Progress = z.infer<typeof Progress>;

const FilePayload = z.object({
  channel: z.string().min(1),
  threadTs: z.string().optional(),
  filename: z.string().min(1),
  title: z.string(),
  content: z.string(),
  initialComment: z.string().optional(),
  progress: Progress.optional(),
});
export type FilePayload = z.infer<typeof FilePayload>;

/** Sends a file's bytes to an upload URL; failures are Retryable/Permanent like Slack calls. */
export type PostFileBytes = (url: string, file: { filename: string; bytes: Buffer }) => Promise<void>;

/**
 * The upload URL answered 4xx: it expired or no longer takes bytes. Not an outage (the breaker
 * does not count it): the job starts over with a new URL.
 */
export class UploadUrlRefused extends Error {
  override readonly name = 'UploadUrlRefused';
}

/**
 * POSTs to an upload URL the way WebClient.filesUploadV2 does (multipart, the bytes in one part;
 * Slack also takes raw bytes) and answers 200 when it has them. Slack's own client would retry on
 * its own; this one does not — the scheduler owns retries.
 */
export function uploadUrlPoster(timeoutMs = 10_000): PostFileBytes {
  return async (url, { filename, bytes }) => {
    const form = new FormData();
    form.append('body', new Blob([new Uint8Array(bytes)]), filename);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        body: form,
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new RetryableError(`Slack upload URL unreachable: ${reason}`, { cause: error });
    }
    await response.body?.cancel();
    if (response.status === 200) return;
    const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    const retryAfterMs = Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined;
    if (response.status === 429) {
      throw new RetryableError('Slack rate-limited the file upload', { retryAfterMs, rateLimited: true });
    }
    if (response.status >= 500 || response.status === 408) {
      throw new RetryableError(`Slack upload URL answered HTTP ${response.status}`, { retryAfterMs });
    }
    throw new UploadUrlRefused(`Slack upload URL answered HTTP ${response.status}`);
  };
}

/** The Slack error code behind a translated Web API failure (`file_not_found`), if there is one. */
function slackErrorCode(error: unknown): string | undefined {
  const cause =
    error instanceof Error ? (error.cause as { data?: { error?: unknown } } | undefined) : undefined;
  return typeof cause?.data?.error === 'string' ? cause.data.error : undefined;
}

export interface FileJobDeps {
  /** The kernel's `slackCall` (breaker + error translation). */
  call: SlackCall;
  /** Bytes to the upload URL, behind the same breaker. */
  post: PostFileBytes;
  logger: Logger;
}

export function fileUploadJob(deps: FileJobDeps): JobDefinition<FilePayload> {
  return defineJob({
    kind: SLACK_FILE,
    payload: FilePayload,
    failure: { what: 'post a file to Slack' },
    run: async (payload, { job, checkpoint }) => {
      const save = (progress: Progress | undefined) => {
        const { progress: _earlier, ...file } = payload;
        checkpoint(progress ? { ...file, progress } : file);
      };
      const bytes = Buffer.from(payload.content, 'utf8');
      let progress = payload.progress;
      if (!progress) {
        // An upload URL whose answer was lost is never completed; Slack discards it.
        const opened = await deps.call('files.getUploadURLExternal', {
          filename: payload.filename,
          length: bytes.length,
        });
        progress = {
          fileId: String(opened.file_id),
          uploadUrl: String(opened.upload_url),
          uploaded: false,
          completing: false,
        };
        save(progress);
      }
      if (!progress.uploaded) {
        try {
          await deps.post(progress.uploadUrl, { filename: payload.filename, bytes });
        } catch (error) {
          if (!(error instanceof UploadUrlRefused)) throw error;
          save(undefined);
          throw new RetryableError(`${error.message}; starting over with a new upload URL`, { cause: error });
        }
        progress = { ...progress, uploaded: true };
        save(progress);
      }
      // Marked before sending: once the request may have left, a retry must assume Slack has it.
      const retried = progress.completing;
      if (!retried) save({ ...progress, completing: true });
      try {
        await deps.call('files.completeUploadExternal', {
          files: [{ id: progress.fileId, title: payload.title }],
          channel_id: payload.channel,
          ...(payload.threadTs ? { thread_ts: payload.threadTs } : {}),
          ...(payload.initialComment ? { initial_comment: payload.initialComment } : {}),
        });
        return { fileId: progress.fileId, channel: payload.channel };
      } catch (error) {
        // Slack completes an upload only once and then answers file_not_found for it. So after an
        // attempt that got no answer (5xx, timeout, crash), file_not_found means that attempt
        // shared the file: done, not posted twice. What remains possible: (1) the earlier request
        // never reached Slack and Slack discarded the upload meanwhile — then the file is not
        // posted, and only this warning says so; (2) Slack answers an already completed upload
        // with another error — then the job dead-letters (loud, no duplicate), and an operator
        // who retries it from scratch posts the file a second time.
        if (retried && slackErrorCode(error) === 'file_not_found') {
          deps.logger.warn(
            { job: job.id, fileId: progress.fileId, channel: payload.channel },
            'Slack no longer knows the upload an earlier attempt completed: taking it as posted',
          );
          return { fileId: progress.fileId, channel: payload.channel, adopted: true };
        }
        // A definite refusal shared nothing: an operator's retry (after the fix) starts afresh,
        // since the upload URL may be long expired by then.
        if (error instanceof PermanentError) save(undefined);
        throw error;
      }
    },
  });
}

export class SlackFiles implements FilePort {
  constructor(private readonly scheduler: Scheduler) {}

  upload(file: FileToPost, key: string): void {
    const payload: FilePayload = {
      channel: file.channel,
      filename: file.filename,
      title: file.title,
      content: file.content,
      ...(file.threadTs ? { threadTs: file.threadTs } : {}),
      ...(file.initialComment ? { initialComment: file.initialComment } : {}),
    };
    this.scheduler.enqueue({ kind: SLACK_FILE, payload, key: `file:${key}`, lane: `slack:${file.channel}` });
  }
}

// The stand-in's external file upload against the real WebClient: files.uploadV2 runs unmodified
// (getUploadURLExternal → POST to the upload URL → completeUploadExternal), tests read the shared
// file back, and the errors and faults are the ones a bot must cope with.
import { LogLevel, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_UPLOAD_METHOD, SlackStandIn } from '../../../sandbox/slack-standin/index.js';

const CHANNEL = 'C0REPORTS1';
const CSV = 'tenant,incidents,mttr_min\nnimbus,3,42\n"helix, ai",0,\nümlaut,1,7\n';

let standin: SlackStandIn;
let client: WebClient;

beforeEach(async () => {
  standin = await SlackStandIn.start({
    channels: [
      { id: CHANNEL, name: 'reports' },
      { id: 'C0LOBBY001', name: 'lobby', is_member: false },
    ],
  });
  client = new WebClient(standin.botToken, {
    slackApiUrl: standin.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
});

afterEach(async () => {
  await standin.stop();
});

const errorOf = (e: unknown) => (e as WebAPIPlatformError).data?.error;

/** Steps 1 and 2 of an upload, done by hand: returns the file id, ready to be completed. */
async function uploadBytes(content: string, filename = 'report.csv'): Promise<string> {
  const opened = await client.files.getUploadURLExternal({ filename, length: Buffer.byteLength(content) });
  const posted = await fetch(String(opened.upload_url), { method: 'POST', body: content });
  expect(posted.status).toBe(200);
  return String(opened.file_id);
}

describe('Slack stand-in file uploads', () => {
  it('takes a files.uploadV2 from the real WebClient and gives back exactly what was uploaded', async () => {
    const parent = await client.chat.postMessage({ channel: CHANNEL, text: 'weekly report' });
    const result = await client.filesUploadV2({
      channel_id: CHANNEL,
      thread_ts: String(parent.ts),
      filename: 'weekly.csv',
      title: 'Weekly incidents',
      content: CSV,
      initial_comment: 'Here is the week',
    });
    expect(result.ok).toBe(true);

    const [file] = standin.files(CHANNEL);
    expect(standin.files(CHANNEL)).toHaveLength(1);
    expect(file).toEqual({
      id: expect.stringMatching(/^F/),
      channel: CHANNEL,
      ts: expect.stringMatching(/^\d+\.\d{6}$/),
      threadTs: parent.ts,
      filename: 'weekly.csv',
      title: 'Weekly incidents',
      content: CSV,
      initialComment: 'Here is the week',
    });
    // The share is a bot message in the thread, so the e2e harness sees (and must claim) it.
    const share = standin.messages(CHANNEL).find((m) => m.ts === file?.ts);
    expect(share).toMatchObject({
      bot_id: 'B0OPSBOT01',
      thread_ts: parent.ts,
      text: 'Here is the week',
      files: [{ id: file?.id, name: 'weekly.csv', title: 'Weekly incidents' }],
    });
    expect(standin.messages(CHANNEL).find((m) => m.ts === parent.ts)?.reply_count).toBe(1);
    expect(standin.calls.map((c) => [c.method, c.ok, c.status])).toEqual([
      ['chat.postMessage', true, 200],
      ['files.getUploadURLExternal', true, 200],
      [FILE_UPLOAD_METHOD, true, 200],
      ['files.completeUploadExternal', true, 200],
    ]);
    expect(standin.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({
      filename: 'weekly.csv',
      length: String(Buffer.byteLength(CSV)),
    });
    expect(standin.callsTo('files.completeUploadExternal')[0]?.args.files).toEqual([
      { id: file?.id, title: 'Weekly incidents' },
    ]);
    // The thread shows the share with its file, as Slack's does.
    const thread = await client.conversations.replies({ channel: CHANNEL, ts: String(parent.ts) });
    expect(thread.messages?.[1]).toMatchObject({
      upload: true,
      files: [{ id: file?.id, name: 'weekly.csv' }],
    });
  });

  it('takes raw bytes as well as multipart, and keeps a file completed without a channel private', async () => {
    const id = await uploadBytes(CSV);
    const done = await client.files.completeUploadExternal({ files: [{ id, title: 'private' }] });
    expect(done.files).toEqual([expect.objectContaining({ id, name: 'report.csv', title: 'private' })]);
    expect(standin.files()).toEqual([]);
    expect(standin.messages()).toEqual([]);
  });

  it('completes a file once: unknown, already completed and never uploaded ids are file_not_found', async () => {
    const id = await uploadBytes(CSV);
    await client.files.completeUploadExternal({ files: [{ id }], channel_id: CHANNEL });
    const again = await client.files
      .completeUploadExternal({ files: [{ id }], channel_id: CHANNEL })
      .catch((e: unknown) => e);
    expect(errorOf(again)).toBe('file_not_found');
    const unknown = await client.files
      .completeUploadExternal({ files: [{ id: 'F0NOSUCH01' }], channel_id: CHANNEL })
      .catch((e: unknown) => e);
    expect(errorOf(unknown)).toBe('file_not_found');
    const opened = await client.files.getUploadURLExternal({ filename: 'empty.csv', length: 3 });
    const notUploaded = await client.files
      .completeUploadExternal({ files: [{ id: String(opened.file_id) }], channel_id: CHANNEL })
      .catch((e: unknown) => e);
    expect(errorOf(notUploaded)).toBe('file_not_found');
    const malformed = await client.apiCall('files.completeUploadExternal', { files: 'F1' }).catch((e) => e);
    expect(errorOf(malformed)).toBe('invalid_arguments');
    // Uploading to a completed file's URL fails like an expired upload URL.
    const late = await fetch(standin.callsTo(FILE_UPLOAD_METHOD)[0]?.args.url as string, {
      method: 'POST',
      body: 'x',
    });
    expect(late.status).toBe(404);
    expect(standin.files(CHANNEL)).toHaveLength(1);
  });

  it('refuses channels the bot cannot post in, and the upload stays open for another try', async () => {
    const id = await uploadBytes(CSV);
    for (const [channel, error] of [
      ['C0NOPE0001', 'channel_not_found'],
      ['C0LOBBY001', 'not_in_channel'],
    ] as const) {
      const refused = await client.files
        .completeUploadExternal({ files: [{ id }], channel_id: channel })
        .catch((e: unknown) => e);
      expect(errorOf(refused)).toBe(error);
    }
    await client.files.completeUploadExternal({ files: [{ id }], channel_id: CHANNEL });
    expect(standin.files().map((f) => [f.channel, f.content])).toEqual([[CHANNEL, CSV]]);
  });

  it('injects faults on every step; an answer lost after the work leaves the file shared', async () => {
    standin.failNext('files.getUploadURLExternal', { rateLimitedRetryAfterSec: 3 });
    standin.failNext(FILE_UPLOAD_METHOD, { httpStatus: 503 });
    standin.failNext('files.completeUploadExternal', { httpStatus: 500 });
    standin.failNext('files.completeUploadExternal', { httpStatus: 502, afterHandling: true });
    const upload = () => client.filesUploadV2({ channel_id: CHANNEL, filename: 'r.csv', content: CSV });
    for (let i = 0; i < 3; i += 1) await expect(upload()).rejects.toThrow();
    expect(standin.files()).toEqual([]);
    // The fourth completion is done by Slack but answered 502: the client cannot tell.
    await expect(upload()).rejects.toThrow();
    expect(standin.files().map((f) => f.content)).toEqual([CSV]);
    expect(standin.calls.map((c) => [c.method, c.status])).toEqual([
      ['files.getUploadURLExternal', 429],
      ['files.getUploadURLExternal', 200],
      [FILE_UPLOAD_METHOD, 503],
      ['files.getUploadURLExternal', 200],
      [FILE_UPLOAD_METHOD, 200],
      ['files.completeUploadExternal', 500],
      ['files.getUploadURLExternal', 200],
      [FILE_UPLOAD_METHOD, 200],
      ['files.completeUploadExternal', 502],
    ]);
  });
});

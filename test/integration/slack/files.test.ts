// Posting a CSV report through the kernel's FilePort: a real SQLite file, the real Kernel (its
// WebClient, breaker and scheduler on a fake clock) and the Slack stand-in over HTTP. The file
// arrives byte for byte, once, whatever Slack does to the three steps of the upload.
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_UPLOAD_METHOD } from '../../../sandbox/slack-standin/index.js';
import { PermanentError } from '../../../src/jobs/errors.js';
import { kernelWorld } from '../../helpers/kernel-world.js';

const REPORTS = 'C0REPORTS1';
const LOBBY = 'C0LOBBY001';
const CSV = 'tenant,incidents,mttr_min\nnimbus,3,42\n"helix, ai",0,\nümlaut ✓,1,7\n';
const REPORT = {
  channel: REPORTS,
  filename: 'weekly-2026-11-23.csv',
  title: 'Incidents, week of 23 Nov',
  content: CSV,
  initialComment: 'Weekly incident report',
};

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function world() {
  const w = await kernelWorld(
    {
      channels: [
        { id: REPORTS, name: 'reports' },
        { id: LOBBY, name: 'lobby', is_member: false },
      ],
    },
    cleanup,
  );
  const job = (key: string) => w.k.jobs.getByKey(`file:${key}`);
  return { ...w, job };
}

describe('FilePort (kernel.files)', () => {
  it('posts a CSV in a thread and the stand-in gives it back exactly', async () => {
    const w = await world();
    w.k.files.upload({ ...REPORT, threadTs: '1796220000.000100' }, 'weekly:2026-11-23');
    await w.settle();

    expect(w.slack.files(REPORTS)).toEqual([
      {
        id: expect.stringMatching(/^F/),
        channel: REPORTS,
        ts: expect.any(String),
        threadTs: '1796220000.000100',
        filename: 'weekly-2026-11-23.csv',
        title: 'Incidents, week of 23 Nov',
        content: CSV,
        initialComment: 'Weekly incident report',
      },
    ]);
    expect(w.methods()).toEqual([
      'files.getUploadURLExternal 200',
      `${FILE_UPLOAD_METHOD} 200`,
      'files.completeUploadExternal 200',
    ]);
    expect(w.slack.callsTo('files.getUploadURLExternal')[0]?.args).toMatchObject({
      filename: 'weekly-2026-11-23.csv',
      length: String(Buffer.byteLength(CSV)),
    });
    expect(w.job('weekly:2026-11-23')).toMatchObject({
      status: 'done',
      attempts: 1,
      lane: `slack:${REPORTS}`,
    });

    // The same key again is the same report: not posted twice.
    w.k.files.upload(REPORT, 'weekly:2026-11-23');
    await w.settle();
    expect(w.slack.files(REPORTS)).toHaveLength(1);
  });

  it('retries a 5xx and a 429 on completeUploadExternal from the same upload and posts the file once', async () => {
    const w = await world();
    w.slack.failNext('files.completeUploadExternal', { httpStatus: 503 });
    w.slack.failNext('files.completeUploadExternal', { rateLimitedRetryAfterSec: 30 });
    w.k.files.upload(REPORT, 'r1');
    await w.settle();
    expect(w.slack.files()).toEqual([]);
    expect(w.job('r1')).toMatchObject({ status: 'pending', attempts: 1 });
    await w.advance(60_000);
    expect(w.slack.files(REPORTS).map((f) => f.content)).toEqual([CSV]);
    // One upload URL, one upload: the retries resumed at the last step.
    expect(w.methods()).toEqual([
      'files.getUploadURLExternal 200',
      `${FILE_UPLOAD_METHOD} 200`,
      'files.completeUploadExternal 503',
      'files.completeUploadExternal 429',
      'files.completeUploadExternal 200',
    ]);
    // The 429 was flow control, not a failure: it did not use up an attempt.
    expect(w.job('r1')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('does not post twice when Slack shared the file but its answer was lost', async () => {
    const w = await world();
    w.slack.failNext('files.completeUploadExternal', { httpStatus: 502, afterHandling: true });
    w.k.files.upload(REPORT, 'r2');
    await w.advance(60_000);
    expect(w.slack.files(REPORTS).map((f) => f.content)).toEqual([CSV]);
    expect(w.slack.messages(REPORTS)).toHaveLength(1);
    expect(w.methods()).toEqual([
      'files.getUploadURLExternal 200',
      `${FILE_UPLOAD_METHOD} 200`,
      'files.completeUploadExternal 502',
      'files.completeUploadExternal 200', // answered ok:false, file_not_found: already shared
    ]);
    expect(w.slack.callsTo('files.completeUploadExternal')[1]).toMatchObject({
      ok: false,
      error: 'file_not_found',
    });
    expect(w.job('r2')).toMatchObject({ status: 'done', result: { adopted: true } });
    expect(w.log.records()).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringMatching(/taking it as posted/) }),
    );
  });

  it('resumes after a failed upload POST, and starts over when the upload URL refuses the bytes', async () => {
    const w = await world();
    w.slack.failNext(FILE_UPLOAD_METHOD, { httpStatus: 500 });
    w.slack.failNext(FILE_UPLOAD_METHOD, { httpStatus: 404 });
    w.k.files.upload(REPORT, 'r3');
    await w.advance(120_000);
    expect(w.slack.files(REPORTS).map((f) => f.content)).toEqual([CSV]);
    expect(w.methods()).toEqual([
      'files.getUploadURLExternal 200',
      `${FILE_UPLOAD_METHOD} 500`, // an outage: the same URL again
      `${FILE_UPLOAD_METHOD} 404`, // the URL is gone: a new one
      'files.getUploadURLExternal 200',
      `${FILE_UPLOAD_METHOD} 200`,
      'files.completeUploadExternal 200',
    ]);
    const urls = w.slack.callsTo(FILE_UPLOAD_METHOD).map((c) => c.args.file_id);
    expect(urls[0]).toBe(urls[1]);
    expect(urls[2]).not.toBe(urls[1]);
  });

  it('dead-letters a permanent refusal at once, with a hint, and an operator retry posts it once', async () => {
    const w = await world();
    w.k.files.upload({ ...REPORT, channel: LOBBY }, 'r4');
    await w.settle();
    expect(w.job('r4')).toMatchObject({ status: 'dead', attempts: 1 });
    expect(w.job('r4')?.lastError).toMatch(/files\.completeUploadExternal failed: not_in_channel/);
    expect(w.dead).toHaveLength(1);
    const refusal = w.dead[0]?.error;
    expect(refusal).toBeInstanceOf(PermanentError);
    expect((refusal as PermanentError).hint).toMatch(/invite it/);
    expect(w.log.records()).toContainEqual(
      expect.objectContaining({ level: 50, msg: 'job failed permanently; dead-lettered' }),
    );
    expect(w.slack.files()).toEqual([]);

    // People invite the bot, an operator re-runs the job: a fresh upload, posted once.
    w.slack.setChannelState(LOBBY, { is_member: true });
    expect(w.k.scheduler.retryDead(w.job('r4')?.id ?? -1)).toBe(true);
    await w.settle();
    expect(w.slack.files(LOBBY).map((f) => f.content)).toEqual([CSV]);
    expect(w.slack.callsTo('files.getUploadURLExternal')).toHaveLength(2);
  });

  it.each([
    ['channel_not_found', 'files.completeUploadExternal'],
    ['missing_scope', 'files.getUploadURLExternal'],
  ])('dead-letters %s from %s without retrying', async (error, method) => {
    const w = await world();
    w.slack.failNext(method, { error });
    w.k.files.upload(REPORT, 'r5');
    await w.advance(3_600_000);
    expect(w.job('r5')).toMatchObject({ status: 'dead', attempts: 1 });
    expect(w.job('r5')?.lastError).toContain(error);
    expect(w.slack.callsTo(method)).toHaveLength(1);
    expect(w.slack.files()).toEqual([]);
  });

  it('waits out a long Slack outage behind the breaker without spending its attempts', async () => {
    const w = await world();
    // More failures than the job has attempts (sandbox config: 8).
    w.slack.failNext('files.completeUploadExternal', { httpStatus: 500, times: 12 });
    w.k.files.upload(REPORT, 'r6');
    await w.advance(3 * 3_600_000);
    expect(w.dead).toEqual([]);
    expect(w.slack.files(REPORTS).map((f) => f.content)).toEqual([CSV]);
    const completes = w.slack.callsTo('files.completeUploadExternal').map((c) => c.status);
    expect(completes).toEqual([...Array(12).fill(500), 200]);
    expect(w.k.slackBreaker.isDown('slack')).toBe(false);
  });
});

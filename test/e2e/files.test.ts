// Files the bot shares are posts like any other: a test claims each one it expects
// (expectFile, which also gives back the content), and finish() fails on one nobody expected.
// The uploads here are made with the bot's own token, as the files.uploadV2 of a capability would.
import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const OPS = 'C0NIMBOPS1';
const CSV = 'tenant,incidents\nnimbus,3\n';
let h: Harness | undefined;

afterEach(async () => {
  await h?.abort();
  h = undefined;
});

function asBot(harness: Harness): WebClient {
  return new WebClient(harness.slack.botToken, {
    slackApiUrl: harness.slack.apiUrl,
    logLevel: LogLevel.ERROR,
  });
}

describe('files the bot shares', () => {
  it('are claimed with expectFile, content included', async () => {
    h = await Harness.start({ mode: 'http' });
    await asBot(h).filesUploadV2({
      channel_id: OPS,
      filename: 'weekly.csv',
      title: 'Weekly',
      content: CSV,
      initial_comment: 'This week',
    });
    const file = await h.channel(OPS).expectFile('weekly.csv');
    expect(file).toMatchObject({ title: 'Weekly', content: CSV, initialComment: 'This week' });
    await h.finish();
  });

  it('fail the run when no test expected them', async () => {
    h = await Harness.start({ mode: 'http' });
    await asBot(h).filesUploadV2({ channel_id: OPS, filename: 'surprise.csv', content: CSV });
    const error = (await h.finish().catch((e: unknown) => e)) as Error & { actual?: unknown };
    expect(error.message).toMatch(/the bot posted messages no test expected/);
    expect(error.actual).toEqual([`${OPS}:  [files: surprise.csv]`]);
  });
});

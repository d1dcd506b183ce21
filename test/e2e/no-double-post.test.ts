// Issue 8, defect 4: a crash right after Slack accepted a thread message posted it twice. Every
// bot post carries its key as metadata; a retried attempt finds its own message and adopts it.
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { slackTs } from '../../sandbox/slack-wire.js';
import { Harness } from './harness.js';

const OPS = 'C0NIMBOPS1';
let h: Harness | undefined;

afterEach(async () => {
  await h?.abort();
  h = undefined;
});

describe('a thread reply whose first attempt reached Slack', () => {
  it('is found by the retry and not posted again', async () => {
    h = await Harness.start({ mode: 'http' });
    const ts = slackTs(h.clock.now());
    h.slack.failNext('chat.postMessage', { httpStatus: 503 });
    // The parent message people mentioned the bot in.
    const client = new WebClient(h.slack.botToken, { slackApiUrl: h.slack.apiUrl });
    await h.driver.event({
      type: 'app_mention',
      user: 'U0STAFF001',
      text: '<@U0OPSBOT01> hi',
      ts,
      event_ts: ts,
      channel: OPS,
    });
    await h.driver.settle();
    // What the crashed attempt had already posted (the answer never reached the bot).
    await client.chat.postMessage({
      channel: OPS,
      thread_ts: ts,
      text: 'reply posted by the attempt whose answer was lost',
      metadata: { event_type: 'opsbot_message', event_payload: { key: `mention:${OPS}:${ts}` } },
    });
    await h.advance('10m');
    const replies = h.slack.messages(OPS).filter((m) => m.bot_id && m.thread_ts === ts);
    expect(replies.map((m) => m.text)).toEqual(['reply posted by the attempt whose answer was lost']);
    expect(h.slack.callsTo('conversations.replies')).toHaveLength(1);
    await h.channel(OPS).expectMessage(/attempt whose answer was lost/, { threadTs: ts });
    await h.finish();
  });
});

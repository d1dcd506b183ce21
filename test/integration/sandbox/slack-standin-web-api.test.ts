import { ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../../sandbox/slack-standin/index.js';

const CHANNEL = 'C0ALARMS01';
const blocks = [
  { type: 'section', text: { type: 'mrkdwn', text: '*Sev1* disk full on vaas-03' } },
  {
    type: 'actions',
    block_id: 'alarm',
    elements: [
      { type: 'button', action_id: 'ack', text: { type: 'plain_text', text: 'Acknowledge' }, value: 'a1' },
    ],
  },
];

let standin: SlackStandIn;
let client: WebClient;

beforeEach(async () => {
  standin = await SlackStandIn.start({
    channels: [
      { id: CHANNEL, name: 'xai-alarms' },
      { id: 'C0PRIVATE1', name: 'secret', is_private: true, is_member: false },
      { id: 'C0LOBBY001', name: 'lobby', is_member: false },
    ],
    users: [{ id: 'U0ALICE001', name: 'alice', real_name: 'Alice', tz: 'Europe/Berlin' }],
    usergroups: [{ id: 'S0ONCALL01', handle: 'storage-oncall' }],
  });
  // No retries: each test sees exactly the answer the stand-in gave.
  client = new WebClient(standin.botToken, {
    slackApiUrl: standin.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
  });
});

afterEach(async () => {
  await standin.stop();
});

describe('Slack stand-in Web API (real WebClient)', () => {
  it('answers auth.test with the bot identity', async () => {
    expect(standin.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const res = await client.auth.test();
    expect(res).toMatchObject({
      ok: true,
      team_id: 'T0SANDBOX1',
      user_id: 'U0OPSBOT01',
      bot_id: 'B0OPSBOT01',
    });
  });

  it('posts, threads and updates messages, keeping every version', async () => {
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'Sev1 disk full', blocks });
    expect(posted.ok).toBe(true);
    expect(posted.channel).toBe(CHANNEL);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message).toMatchObject({ text: 'Sev1 disk full', bot_id: 'B0OPSBOT01', blocks });

    const reply = await client.chat.postMessage({
      channel: CHANNEL,
      text: 'paged alice',
      thread_ts: posted.ts,
    });
    expect(Number(reply.ts)).toBeGreaterThan(Number(posted.ts));

    const updated = await client.chat.update({ channel: CHANNEL, ts: posted.ts!, text: 'Sev1 acknowledged' });
    expect(updated).toMatchObject({ ok: true, channel: CHANNEL, ts: posted.ts, text: 'Sev1 acknowledged' });

    const [parent, threaded] = standin.messages(CHANNEL);
    expect(parent).toMatchObject({ ts: posted.ts, text: 'Sev1 acknowledged', blocks, reply_count: 1 });
    expect(parent?.history.map((v) => v.text)).toEqual(['Sev1 disk full', 'Sev1 acknowledged']);
    expect(threaded).toMatchObject({ ts: reply.ts, thread_ts: posted.ts, text: 'paged alice' });
  });

  it('records calls with decoded arguments and without the token', async () => {
    await client.chat.postMessage({ channel: CHANNEL, text: 'Sev1', blocks, unfurl_links: false });
    const call = await standin.waitForCall('chat.postMessage');
    expect(call).toMatchObject({ method: 'chat.postMessage', ok: true, status: 200 });
    expect(call.args.blocks).toEqual(blocks);
    expect(call.args.channel).toBe(CHANNEL);
    expect(call.args).not.toHaveProperty('token');
    expect(standin.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('waits for a call that has not happened yet', async () => {
    const waiting = standin.waitForCall('chat.postMessage', (c) => c.args.text === 'second');
    await client.chat.postMessage({ channel: CHANNEL, text: 'first' });
    await client.chat.postMessage({ channel: CHANNEL, text: 'second' });
    await expect(waiting).resolves.toMatchObject({ args: { text: 'second' } });
    await expect(standin.waitForCall('chat.delete', undefined, 50)).rejects.toThrow(
      /no matching chat.delete/,
    );
  });

  it('fails like Slack for unknown channels and messages', async () => {
    const unknown = await client.chat
      .postMessage({ channel: 'C0NOPE0001', text: 'hi' })
      .catch((e: unknown) => e);
    expect((unknown as WebAPIPlatformError).code).toBe(ErrorCode.PlatformError);
    expect((unknown as WebAPIPlatformError).data.error).toBe('channel_not_found');

    const hidden = await client.conversations.info({ channel: 'C0PRIVATE1' }).catch((e: unknown) => e);
    expect((hidden as WebAPIPlatformError).data.error).toBe('channel_not_found');

    const missing = await client.chat
      .update({ channel: CHANNEL, ts: '1.000001', text: 'x' })
      .catch((e: unknown) => e);
    expect((missing as WebAPIPlatformError).data.error).toBe('message_not_found');

    expect(standin.calls.map((c) => [c.method, c.ok, c.error, c.status])).toEqual([
      ['chat.postMessage', false, 'channel_not_found', 200],
      ['conversations.info', false, 'channel_not_found', 200],
      ['chat.update', false, 'message_not_found', 200],
    ]);
  });

  it('rejects missing and wrong tokens', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } });
    const e1 = await anonymous.auth.test().catch((e: unknown) => e);
    expect((e1 as WebAPIPlatformError).data.error).toBe('not_authed');
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: standin.apiUrl, retryConfig: { retries: 0 } });
    const e2 = await wrong.auth.test().catch((e: unknown) => e);
    expect((e2 as WebAPIPlatformError).data.error).toBe('invalid_auth');
    const e3 = await client.apps.connections.open().catch((e: unknown) => e);
    expect((e3 as WebAPIPlatformError).data.error).toBe('not_allowed_token_type');
  });

  it('rate limits with 429 and Retry-After', async () => {
    standin.failNext('chat.postMessage', { rateLimitedRetryAfterSec: 7 });
    const error = await client.chat.postMessage({ channel: CHANNEL, text: 'hi' }).catch((e: unknown) => e);
    expect((error as WebAPIRateLimitedError).code).toBe(ErrorCode.RateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(7);
    expect(standin.callsTo('chat.postMessage')[0]).toMatchObject({
      ok: false,
      error: 'ratelimited',
      status: 429,
    });
    // The fault was used up: the next call goes through.
    await expect(client.chat.postMessage({ channel: CHANNEL, text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });
  });

  it('injects HTTP 5xx and ok:false errors for a number of calls', async () => {
    standin.failNext('chat.update', { httpStatus: 503 });
    standin.failNext('users.info', { error: 'fatal_error', times: 2 });
    const http = await client.chat
      .update({ channel: CHANNEL, ts: '1.1', text: 'x' })
      .catch((e: unknown) => e);
    expect((http as { code: string; statusCode: number }).code).toBe(ErrorCode.HTTPError);
    expect((http as { statusCode: number }).statusCode).toBe(503);
    for (let i = 0; i < 2; i += 1) {
      const e = await client.users.info({ user: 'U0ALICE001' }).catch((err: unknown) => err);
      expect((e as WebAPIPlatformError).data.error).toBe('fatal_error');
    }
    const alice = await client.users.info({ user: 'U0ALICE001' });
    expect(alice.user).toMatchObject({ id: 'U0ALICE001', name: 'alice', tz: 'Europe/Berlin' });
    expect([3600, 7200]).toContain(alice.user?.tz_offset);
    expect(standin.calls.map((c) => c.status)).toEqual([503, 200, 200, 200]);
  });

  it('answers unknown methods with unknown_method', async () => {
    const error = await client.apiCall('chat.frobnicate', {}).catch((e: unknown) => e);
    expect((error as WebAPIPlatformError).data.error).toBe('unknown_method');
  });

  it('serves the other methods the bot uses', async () => {
    const posted = await client.chat.postMessage({ channel: '#xai-alarms', text: 'Sev2' });
    const link = await client.chat.getPermalink({ channel: CHANNEL, message_ts: posted.ts! });
    expect(link.permalink).toBe(
      `https://sandbox.slack.com/archives/${CHANNEL}/p${posted.ts!.replace('.', '')}`,
    );
    await expect(
      client.reactions.add({ channel: CHANNEL, timestamp: posted.ts!, name: 'eyes' }),
    ).resolves.toMatchObject({ ok: true });
    const eph = await client.chat.postEphemeral({ channel: CHANNEL, user: 'U0ALICE001', text: 'only you' });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    await client.usergroups.users.update({ usergroup: 'S0ONCALL01', users: 'U0ALICE001' });
    const members = await client.usergroups.users.list({ usergroup: 'S0ONCALL01' });
    expect(members.users).toEqual(['U0ALICE001']);
    const outside = await client.chat
      .postMessage({ channel: 'C0LOBBY001', text: 'hi' })
      .catch((e: unknown) => e);
    expect((outside as WebAPIPlatformError).data.error).toBe('not_in_channel');
    const joined = await client.conversations.join({ channel: 'C0LOBBY001' });
    expect(joined.channel).toMatchObject({ id: 'C0LOBBY001', name: 'lobby', is_member: true });
    await expect(client.chat.postMessage({ channel: 'C0LOBBY001', text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });

    const modal = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Handoff' },
      blocks: [],
    };
    const opened = await client.views.open({ trigger_id: '1.2.abc', view: modal });
    const reused = await client.views.open({ trigger_id: '1.2.abc', view: modal }).catch((e: unknown) => e);
    expect((reused as WebAPIPlatformError).data.error).toBe('exchanged_trigger_id');
    await client.views.update({ view_id: opened.view!.id!, view: { ...modal, callback_id: 'handoff' } });
    await client.views.publish({ user_id: 'U0ALICE001', view: { type: 'home', blocks: [] } });
    expect(standin.views().map((v) => [v.type, v.callback_id])).toEqual([
      ['modal', 'handoff'],
      ['home', ''],
    ]);

    await client.chat.delete({ channel: CHANNEL, ts: posted.ts! });
    expect(standin.messages(CHANNEL)).toEqual([]);
  });

  it('accepts JSON bodies as well as forms', async () => {
    const res = await fetch(`${standin.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${standin.botToken}`,
      },
      body: JSON.stringify({ channel: CHANNEL, text: 'json', blocks }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, channel: CHANNEL, message: { blocks } });
    expect(standin.callsTo('chat.postMessage')[0]?.args.blocks).toEqual(blocks);
  });
});

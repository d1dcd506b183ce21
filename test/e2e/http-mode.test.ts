import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER_USER, SIGNING_SECRET } from '../../sandbox/driver.js';
import { eventCallbackBody, newId, SANDBOX_IDS, slackTs } from '../../sandbox/slack-wire.js';
import { Harness } from './harness.js';

const STAFF = 'U0STAFF001';
const OPS = 'C0NIMBOPS1';
const SHARED = 'C0NIMBCUST';

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

function mention(harness: Harness, text = '<@U0OPSBOT01> hello') {
  const ts = slackTs(harness.clock.now());
  return { type: 'app_mention', user: STAFF, text, ts, event_ts: ts, channel: OPS };
}

describe('HTTP mode', () => {
  it('answers health and readiness on PORT', async () => {
    h = await Harness.start({ mode: 'http' });
    const base = h.driver.baseUrl;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { store: true, slack: true, slackDelivery: true },
    });
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: 'POST' })).status).toBe(405);
    await h.finish();
  });

  it('answers /opsbot help with the command list, ephemerally', async () => {
    h = await Harness.start({ mode: 'http' });
    const reply = await h.opsbot('help', { user: STAFF, channel: OPS });
    expect(reply).toContain('*opsbot commands*');
    expect(reply).toContain('/opsbot help');
    expect(reply).toContain('/opsbot status');
    expect(await h.opsbot('', { user: STAFF, channel: OPS })).toBe(reply);
    await h.finish();
  });

  it('answers an unknown subcommand with what went wrong and the help', async () => {
    h = await Harness.start({ mode: 'http' });
    const reply = await h.opsbot('frobnicate the cluster', { user: STAFF, channel: OPS });
    expect(reply).toMatch(/^I don't know `frobnicate`/);
    expect(reply).toContain('/opsbot help');
    await h.finish();
  });

  it('keeps staff-only commands from customers in the shared channel', async () => {
    h = await Harness.start({ mode: 'http' });
    const customerHelp = await h.opsbot('help', { user: CUSTOMER_USER, channel: SHARED });
    expect(customerHelp).not.toContain('status');
    const refused = await h.opsbot('status', { user: CUSTOMER_USER, channel: SHARED });
    expect(refused).toMatch(/^I don't know `status`/);
    expect(refused).not.toMatch(/Jobs:/);
    const staff = await h.opsbot('status', { user: STAFF, channel: OPS });
    expect(staff).toMatch(/Slack http mode: connected/);
    expect(staff).toMatch(/Jobs: \d+ pending, \d+ running, \d+ done, 0 dead-lettered/);
    expect(staff).toMatch(/Database: \d+\.\d MB, of which \d+\.\d MB free for reuse/);
    expect(staff).toMatch(/kept: raw alarms 30 days, incidents 400 days/);
    expect(staff).toMatch(/Oldest kept: raw alarm none, incident none, timeline entry none/);
    await h.finish();
  });

  it('rejects unsigned, badly signed and stale requests with 401 and processes nothing', async () => {
    h = await Harness.start({ mode: 'http' });
    const event = mention(h);
    const body = JSON.stringify(
      eventCallbackBody(event, { teamId: SANDBOX_IDS.teamId, eventId: newId('Ev') }),
    );
    const now = Math.floor(h.clock.now() / 1000);
    const attempts: Array<Record<string, string>> = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', ...h.driver.sign(body, now, 'not-the-secret') },
      { 'content-type': 'application/json', ...h.driver.sign(body, now - 5 * 60 - 1) },
      { 'content-type': 'application/json', ...h.driver.sign(body, now + 6 * 60) },
      { 'content-type': 'application/json', ...h.driver.sign(`${body} `, now) },
    ];
    for (const headers of attempts) {
      const response = await h.driver.postRaw(body, headers);
      expect(response.status).toBe(401);
    }
    // A correctly signed request at the edge of the window (5 minutes old) is accepted.
    const ok = await h.driver.postRaw(body, {
      'content-type': 'application/json',
      ...h.driver.sign(body, now - 5 * 60),
    });
    expect(ok.status).toBe(200);
    await h.channel(OPS).expectMessage(/Type `\/opsbot help`/);
    expect(SIGNING_SECRET).not.toBe('not-the-secret');
    await h.finish();
  });

  it('treats Slack re-deliveries of an event (X-Slack-Retry-Num) as no-ops', async () => {
    h = await Harness.start({ mode: 'http' });
    const event = mention(h);
    const first = await h.driver.event(event);
    expect(first.status).toBe(200);
    for (const retryNum of [1, 2]) {
      const retry = await h.driver.event(event, { eventId: first.eventId, retryNum });
      expect(retry.status).toBe(200);
    }
    const reply = await h.channel(OPS).expectMessage(/Hi <@U0STAFF001>!/, { threadTs: event.ts });
    expect(reply.thread_ts).toBe(event.ts);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    await h.finish();
  });

  it('backs off on a Slack 429 and delivers after Retry-After, through the job scheduler', async () => {
    h = await Harness.start({ mode: 'http' });
    h.slack.failNext('chat.postMessage', { rateLimitedRetryAfterSec: 30 });
    await h.driver.event(mention(h));
    await h.driver.settle();
    expect(h.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429]);
    await h.advance('29s');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.slack.messages(OPS)).toHaveLength(0);
    await h.advance('1s');
    expect(h.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    await h.channel(OPS).expectMessage(/Hi <@U0STAFF001>!/);
    await h.finish();
  });

  it('keeps a reply that was due while the bot was down and sends it once after restart', async () => {
    h = await Harness.start({ mode: 'http' });
    h.slack.failNext('chat.postMessage', { httpStatus: 503 }); // Slack has an outage
    await h.driver.event(mention(h));
    await h.driver.settle();
    expect(h.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([503]);
    // The bot goes down; while it is down the retry falls due.
    await h.driver.restart(() => h?.clock.advance('10m'));
    await h.driver.settle();
    expect(h.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([503, 200]);
    await h.advance('1h');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(2);
    await h.channel(OPS).expectMessage(/Hi <@U0STAFF001>!/);
    await h.finish();
  });

  it('answers Slack url_verification and ssl_check', async () => {
    h = await Harness.start({ mode: 'http' });
    const body = JSON.stringify({ token: 'x', challenge: 'chal-123', type: 'url_verification' });
    const response = await h.driver.postRaw(body, {
      'content-type': 'application/json',
      ...h.driver.sign(body),
    });
    expect(await response.json()).toEqual({ challenge: 'chal-123' });
    const ssl = await h.driver.postRaw('ssl_check=1&token=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(ssl.status).toBe(200);
    await h.finish();
  });
});

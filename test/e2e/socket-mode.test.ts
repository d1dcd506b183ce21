import { afterEach, describe, expect, it, vi } from 'vitest';
import { slackTs } from '../../sandbox/slack-wire.js';
import { Harness } from './harness.js';

const STAFF = 'U0STAFF001';
const OPS = 'C0NIMBOPS1';

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

function mention(harness: Harness) {
  const ts = slackTs(harness.clock.now());
  return { type: 'app_mention', user: STAFF, text: '<@U0OPSBOT01> hi', ts, event_ts: ts, channel: OPS };
}

describe('Socket Mode (the default transport)', () => {
  it('connects through apps.connections.open and reports ready', async () => {
    h = await Harness.start({ mode: 'socket' });
    expect(h.slack.socket.connected).toBe(1);
    expect(h.slack.callsTo('apps.connections.open')).toHaveLength(1);
    const ready = await fetch(`${h.driver.baseUrl}/readyz`);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { store: true, slack: true, slackDelivery: true },
    });
    await h.finish();
  });

  it('acknowledges a slash command envelope with the ephemeral help', async () => {
    h = await Harness.start({ mode: 'socket' });
    const result = await h.driver.slashCommand({ user: STAFF, channel: OPS, text: 'help' });
    expect(result.body).toMatchObject({ response_type: 'ephemeral' });
    expect(String(result.body?.text)).toContain('/opsbot status');
    expect(h.slack.socket.acks).toHaveLength(1);
    expect(h.slack.socket.strayAcks).toEqual([]);
    await h.finish();
  });

  it('acknowledges every events_api envelope, and a retry_attempt of a stored event is a no-op', async () => {
    h = await Harness.start({ mode: 'socket' });
    const event = mention(h);
    const first = await h.driver.event(event);
    await h.driver.event(event, { eventId: first.eventId, retryNum: 1 });
    await h.driver.event(event, { eventId: first.eventId, retryNum: 2 });
    expect(h.slack.socket.acks).toHaveLength(3);
    await h.channel(OPS).expectMessage(/Hi <@U0STAFF001>!/, { threadTs: event.ts });
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(1);
    await h.finish();
  });

  it('reconnects after Slack sends a disconnect and keeps processing events', async () => {
    h = await Harness.start({ mode: 'socket' });
    const before = h.slack.socket.opened;
    await h.slack.socket.sendDisconnect('refresh_requested');
    await h.slack.socket.waitForConnection(1, 10_000);
    expect(h.slack.socket.opened).toBe(before + 1);
    expect(h.slack.callsTo('apps.connections.open')).toHaveLength(2);
    await h.driver.event(mention(h));
    await h.channel(OPS).expectMessage(/Hi <@U0STAFF001>!/);
    await h.finish();
  });

  it('is not ready while the Socket Mode connection is down', async () => {
    h = await Harness.start({ mode: 'socket' });
    // Refuse new connections, then drop the current one.
    h.slack.failNext('apps.connections.open', { httpStatus: 503, times: 1000 });
    await h.slack.socket.sendDisconnect('refresh_requested');
    const readyz = () => fetch(`${h?.driver.baseUrl}/readyz`);
    await vi.waitFor(async () => expect((await readyz()).status).toBe(503), { timeout: 3000 });
    expect(await (await readyz()).json()).toMatchObject({
      status: 'not ready',
      checks: { store: true, slack: false, slackDelivery: true },
    });
    expect((await fetch(`${h.driver.baseUrl}/healthz`)).status).toBe(200);
    await h.finish();
  });
});

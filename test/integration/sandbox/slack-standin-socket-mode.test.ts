import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { SlackStandIn } from '../../../sandbox/slack-standin/index.js';

type Ack = (response?: Record<string, unknown>) => Promise<void>;
interface Delivery {
  ack: Ack;
  body: Record<string, unknown>;
  event?: Record<string, unknown>;
  retry_num?: number;
  accepts_response_payload?: boolean;
}

const mention = {
  type: 'app_mention',
  channel: 'C0GENERAL1',
  user: 'U0ALICE001',
  text: '<@U0OPSBOT01> status',
};

let standin: SlackStandIn;
let client: SocketModeClient | undefined;

function socketClient(): SocketModeClient {
  client = new SocketModeClient({
    appToken: standin.appToken,
    clientOptions: { slackApiUrl: standin.apiUrl },
    // Also the reconnect back-off unit: keeps the reconnect test fast.
    clientPingTimeout: 300,
    logLevel: LogLevel.ERROR,
  });
  return client;
}

beforeEach(async () => {
  standin = await SlackStandIn.start({ users: [{ id: 'U0ALICE001', name: 'alice' }] });
});

afterEach(async () => {
  // Client first: a client left reconnecting to a stopped stand-in would keep the process alive.
  await client?.disconnect();
  client = undefined;
  await standin.stop();
});

describe('Slack stand-in Socket Mode (real SocketModeClient)', () => {
  it('hands out a socket URL for the app token and says hello', async () => {
    const sm = socketClient();
    const firstMessage = new Promise<string>((resolve) =>
      sm.once('ws_message', (data: string) => resolve(data)),
    );
    await sm.start();
    expect(JSON.parse(await firstMessage)).toEqual({
      type: 'hello',
      num_connections: 1,
      debug_info: expect.objectContaining({ host: expect.any(String) }),
      connection_info: { app_id: 'A0SANDBOX1' },
    });
    expect(standin.socket.connected).toBe(1);
    const open = standin.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ ok: true, status: 200 });
  });

  it('delivers an events_api envelope and resolves when the app acks it', async () => {
    const sm = socketClient();
    const received: Delivery[] = [];
    sm.on('app_mention', async (delivery: Delivery) => {
      received.push(delivery);
      await delivery.ack();
    });
    await sm.start();

    const ack = await standin.socket.sendEventsApi(mention, { eventId: 'Ev0TEST0001' });
    expect(ack.envelopeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ack.ackedAfterMs).toBeLessThan(3000);
    expect(standin.socket.acks).toEqual([ack]);
    expect(received).toHaveLength(1);
    expect(received[0]?.retry_num).toBe(0);
    expect(received[0]?.body).toMatchObject({
      type: 'event_callback',
      team_id: 'T0SANDBOX1',
      api_app_id: 'A0SANDBOX1',
      event_id: 'Ev0TEST0001',
      event: mention,
      authorizations: [{ user_id: 'U0OPSBOT01', is_bot: true }],
    });
  });

  it('passes retry metadata and returns the ack payload of slash commands', async () => {
    const sm = socketClient();
    const retries: Array<number | undefined> = [];
    sm.on('app_mention', async ({ ack, retry_num }: Delivery) => {
      retries.push(retry_num);
      await ack();
    });
    let command: Delivery | undefined;
    sm.on('slash_commands', async (delivery: Delivery) => {
      command = delivery;
      await delivery.ack({ text: 'on call: alice' });
    });
    await sm.start();

    await standin.socket.sendEventsApi(mention, { retryAttempt: 1, retryReason: 'timeout' });
    expect(retries).toEqual([1]);

    const ack = await standin.socket.sendSlashCommand({
      command: '/oncall',
      text: 'now',
      user_id: 'U0ALICE001',
      channel_id: 'C0GENERAL1',
    });
    expect(ack.payload).toEqual({ text: 'on call: alice' });
    expect(command?.accepts_response_payload).toBe(true);
    expect(command?.body).toMatchObject({
      command: '/oncall',
      text: 'now',
      channel_name: 'general',
      user_name: 'alice',
      team_id: 'T0SANDBOX1',
    });
    expect(command?.body.response_url).toMatch(
      new RegExp(`^${standin.apiUrl.replace('/api/', '/hooks/commands/')}`),
    );
  });

  it('rejects when the app does not ack in time, and records the late ack as stray', async () => {
    const sm = socketClient();
    let lateAck: Ack | undefined;
    sm.on('app_mention', ({ ack }: Delivery) => {
      lateAck = ack;
    });
    await sm.start();

    await expect(standin.socket.sendEventsApi(mention, { ackTimeoutMs: 100 })).rejects.toThrow(
      /not acked within 100 ms/,
    );
    await lateAck?.();
    await vi.waitFor(() => expect(standin.socket.strayAcks.map((a) => a.reason)).toEqual(['late']));
    expect(standin.socket.acks).toEqual([]);
  });

  it('delivers interactive payloads built from a stored message', async () => {
    const web = new WebClient(standin.botToken, { slackApiUrl: standin.apiUrl });
    const blocks = [
      {
        type: 'actions',
        block_id: 'alarm',
        elements: [
          {
            type: 'button',
            action_id: 'ack',
            text: { type: 'plain_text', text: 'Acknowledge' },
            value: 'a1',
          },
        ],
      },
    ];
    const posted = await web.chat.postMessage({ channel: 'C0GENERAL1', text: 'Sev1', blocks });
    const sm = socketClient();
    let action: Delivery | undefined;
    sm.on('interactive', async (delivery: Delivery) => {
      action = delivery;
      await delivery.ack();
    });
    await sm.start();

    const click = standin.blockActions({
      user: 'U0ALICE001',
      channel: 'C0GENERAL1',
      messageTs: posted.ts!,
      actionId: 'ack',
    });
    await standin.socket.sendInteractive(click);
    expect(action?.body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE001', username: 'alice' },
      container: { message_ts: posted.ts, channel_id: 'C0GENERAL1' },
      actions: [{ action_id: 'ack', block_id: 'alarm', value: 'a1' }],
      message: { ts: posted.ts, blocks },
    });

    // respond({replace_original}) lands on the stand-in and rewrites the message, as Slack does.
    const res = await fetch(String(action?.body.response_url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'Acknowledged by alice' }),
    });
    expect(res.status).toBe(200);
    expect(standin.messages('C0GENERAL1')[0]).toMatchObject({
      text: 'Acknowledged by alice',
      blocks: undefined,
    });
    expect(standin.callsTo('response_url')).toHaveLength(1);
  });

  it('makes the app reconnect on disconnect and keeps delivering to the new connection', async () => {
    const sm = socketClient();
    sm.on('app_mention', async ({ ack }: Delivery) => ack());
    await sm.start();
    standin.clearCalls();

    await standin.socket.sendDisconnect();
    expect(standin.socket.connected).toBe(0);
    await standin.socket.waitForConnection(1, 5000);
    expect(standin.socket.opened).toBe(2);
    await expect(standin.waitForCall('apps.connections.open')).resolves.toMatchObject({ ok: true });

    await expect(standin.socket.sendEventsApi(mention)).resolves.toMatchObject({
      envelopeId: expect.any(String),
    });
  });

  it('refuses sends without a connection and sockets without a valid one-time ticket', async () => {
    await expect(standin.socket.sendEventsApi(mention)).rejects.toThrow(/no open Socket Mode connection/);

    const app = new WebClient(standin.appToken, { slackApiUrl: standin.apiUrl });
    const { url } = await app.apps.connections.open();
    const outcome = (target: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(target);
        ws.once('message', (data) => {
          ws.close();
          resolve(JSON.parse(String(data)).type);
        });
        // Without an 'unexpected-response' listener ws turns a refused upgrade into this error.
        ws.once('error', (error) => resolve(error.message));
      });
    expect(await outcome(url!)).toBe('hello');
    expect(await outcome(url!)).toMatch(/Unexpected server response: 401/);
  });

  it('records acks for envelopes it never sent as stray', async () => {
    const app = new WebClient(standin.appToken, { slackApiUrl: standin.apiUrl });
    const { url } = await app.apps.connections.open();
    const ws = new WebSocket(url!);
    await new Promise((resolve) => ws.once('message', resolve)); // hello
    ws.send(JSON.stringify({ envelope_id: 'not-an-envelope', payload: {} }));
    await vi.waitFor(() =>
      expect(standin.socket.strayAcks).toEqual([
        { envelopeId: 'not-an-envelope', payload: {}, reason: 'unknown_envelope', at: expect.any(Number) },
      ]),
    );
    await new Promise((resolve) => {
      ws.once('close', resolve);
      ws.close();
    });
  });
});

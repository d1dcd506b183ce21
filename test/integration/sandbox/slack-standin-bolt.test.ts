// The point of the stand-in: a real Bolt app, unmodified, talks to it over the real wire formats.
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../../../sandbox/slack-standin/index.js';

let standin: SlackStandIn;
let app: App | undefined;

beforeEach(async () => {
  standin = await SlackStandIn.start({ users: [{ id: 'U0ALICE001', name: 'alice' }] });
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
  await standin.stop();
});

function boltApp(): App {
  // Bolt's socket receiver builds its own WebClient for apps.connections.open: it needs the URL too.
  const receiver = new SocketModeReceiver({
    appToken: standin.appToken,
    installerOptions: { clientOptions: { slackApiUrl: standin.apiUrl } },
    logLevel: LogLevel.ERROR,
  });
  app = new App({
    token: standin.botToken,
    receiver,
    clientOptions: { slackApiUrl: standin.apiUrl },
    logLevel: LogLevel.ERROR,
  });
  return app;
}

describe('Slack stand-in with a real Bolt app in Socket Mode', () => {
  it('runs events, commands and button clicks end to end', async () => {
    const bolt = boltApp();
    bolt.event('app_mention', async ({ event, say }) => {
      await say({
        text: `Sev1 for <@${event.user}>`,
        thread_ts: event.ts,
        blocks: [
          {
            type: 'actions',
            block_id: 'alarm',
            elements: [
              { type: 'button', action_id: 'ack', text: { type: 'plain_text', text: 'Acknowledge' } },
            ],
          },
        ],
      });
    });
    bolt.command('/oncall', async ({ ack, respond }) => {
      await ack();
      await respond({ response_type: 'in_channel', text: 'on call: alice' });
    });
    bolt.action('ack', async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: 'Acknowledged by alice' });
    });
    await bolt.start();
    expect(standin.callsTo('auth.test')).toHaveLength(1);
    expect(standin.socket.connected).toBe(1);

    const mention = {
      type: 'app_mention',
      channel: 'C0GENERAL1',
      user: 'U0ALICE001',
      text: '<@U0OPSBOT01> page',
      ts: '1700000000.000100',
      event_ts: '1700000000.000100',
    };
    await standin.socket.sendEventsApi(mention);
    const post = await standin.waitForCall('chat.postMessage');
    expect(post.args).toMatchObject({
      channel: 'C0GENERAL1',
      thread_ts: mention.ts,
      text: 'Sev1 for <@U0ALICE001>',
    });

    await standin.socket.sendSlashCommand({
      command: '/oncall',
      text: '',
      user_id: 'U0ALICE001',
      channel_id: 'C0GENERAL1',
    });
    await standin.waitForCall('response_url', (c) => c.args.text === 'on call: alice');

    const [alarm] = standin.messages('C0GENERAL1');
    await standin.socket.sendInteractive(
      standin.blockActions({
        user: 'U0ALICE001',
        channel: 'C0GENERAL1',
        messageTs: alarm!.ts,
        actionId: 'ack',
      }),
    );
    await standin.waitForCall('response_url', (c) => c.args.replace_original === true);
    expect(standin.messages('C0GENERAL1').map((m) => m.text)).toEqual([
      'Acknowledged by alice',
      'on call: alice',
    ]);
  });
});

import { createHmac } from 'node:crypto';
import { isValidSlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  blockActionsPayload,
  eventCallbackBody,
  interactivePayloadForm,
  newId,
  signSlackRequest,
  slashCommandForm,
} from '../../../sandbox/slack-wire.js';

// Slack's published example ("Verifying requests from Slack", step-by-step walk-through).
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TS = 1531420618;
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
  '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
  '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
  '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

function boltAccepts(
  secret: string,
  body: string,
  headers: ReturnType<typeof signSlackRequest>,
  nowSec: number,
) {
  return isValidSlackRequest({
    signingSecret: secret,
    body,
    headers: {
      'x-slack-signature': headers['x-slack-signature'],
      'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
    },
    nowMilliseconds: nowSec * 1000,
  });
}

describe('signSlackRequest', () => {
  it("reproduces Slack's documented signature", () => {
    expect(signSlackRequest(DOC_SECRET, DOC_BODY, DOC_TS)).toEqual({
      'x-slack-signature': DOC_SIGNATURE,
      'x-slack-request-timestamp': String(DOC_TS),
    });
  });

  it('is an HMAC-SHA256 over v0:{ts}:{body}', () => {
    const body = JSON.stringify({ type: 'event_callback', event: { type: 'app_mention', text: 'ünïcode' } });
    const expected = createHmac('sha256', 's3cret').update(`v0:1700000000:${body}`).digest('hex');
    expect(signSlackRequest('s3cret', body, 1700000000)['x-slack-signature']).toBe(`v0=${expected}`);
  });

  it("passes Bolt's own verifier, and only with the right secret and a fresh timestamp", () => {
    const body = slashCommandForm({ command: '/oncall', text: 'who', user_id: 'U1', channel_id: 'C1' });
    const headers = signSlackRequest('s3cret', body, 1700000000);
    expect(boltAccepts('s3cret', body, headers, 1700000010)).toBe(true);
    expect(boltAccepts('other', body, headers, 1700000010)).toBe(false);
    expect(boltAccepts('s3cret', `${body}&x=1`, headers, 1700000010)).toBe(false);
    expect(boltAccepts('s3cret', body, headers, 1700000000 + 10 * 60)).toBe(false);
  });
});

describe('payload builders', () => {
  it('builds an event_callback body with authorizations and a derived event_time', () => {
    const body = eventCallbackBody(
      { type: 'app_mention', channel: 'C1', user: 'U1', text: '<@U0OPSBOT01> hi', ts: '1700000000.000100' },
      { teamId: 'T1', apiAppId: 'A1', eventId: 'Ev1', botUserId: 'UBOT' },
    );
    expect(body).toMatchObject({
      team_id: 'T1',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: 'Ev1',
      event_time: 1700000000,
      authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    expect(body.event_context).toMatch(/^4-/);
  });

  it('encodes slash commands with every field Slack sends, in order', () => {
    const form = new URLSearchParams(
      slashCommandForm({
        command: '/oncall',
        text: 'now please',
        user_id: 'U1',
        channel_id: 'C1',
        channel_name: 'ops',
      }),
    );
    expect([...form.keys()]).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(form.get('text')).toBe('now please');
    expect(form.get('trigger_id')).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
  });

  it('wraps interactive payloads in a single form field', () => {
    const payload = { type: 'block_actions', actions: [{ action_id: 'ack' }] };
    expect(JSON.parse(new URLSearchParams(interactivePayloadForm(payload)).get('payload') ?? '')).toEqual(
      payload,
    );
  });

  it('echoes the clicked button from the message blocks in block_actions', () => {
    const message = {
      ts: '1700000000.000100',
      text: 'Sev1',
      blocks: [
        {
          type: 'actions',
          block_id: 'alarm-actions',
          elements: [
            {
              type: 'button',
              action_id: 'ack',
              text: { type: 'plain_text', text: 'Acknowledge' },
              value: 'inc-1',
            },
          ],
        },
      ],
    };
    const payload = blockActionsPayload({
      user: 'U1',
      channel: 'C1',
      message,
      actionId: 'ack',
      teamId: 'T1',
    });
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U1', team_id: 'T1' },
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: 'C1', is_ephemeral: false },
      channel: { id: 'C1' },
      actions: [{ action_id: 'ack', block_id: 'alarm-actions', value: 'inc-1', type: 'button' }],
    });
    expect(payload.trigger_id).toEqual(expect.any(String));
    expect(payload.response_url).toMatch(/^https:\/\/hooks\.slack\.com\/actions\/T1\//);
  });

  it('mints prefixed ids', () => {
    expect(newId('Ev')).toMatch(/^Ev[0-9A-Z]{10}$/);
    expect(newId('Ev')).not.toBe(newId('Ev'));
  });
});

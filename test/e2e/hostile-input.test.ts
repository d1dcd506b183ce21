// Black-box findings at the doors: hostile or sloppy bodies must get a clear 4xx with a reason
// (never a 500 that Alertmanager or Slack would retry forever), and nothing of them is stored.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { JIRA_WEBHOOK_SECRET } from '../../sandbox/driver.js';
import { eventCallbackBody, newId, SANDBOX_IDS, slackTs } from '../../sandbox/slack-wire.js';
import { Harness } from './harness.js';

const STAFF = 'U0STAFF001';
const OPS = 'C0NIMBOPS1';
const HELIX_ALARMS = 'C0HELXALRM';

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

/** `depth` nested arrays as JSON text (built as text: JSON.stringify itself would overflow). */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function alertmanagerPayload(alert: Record<string, unknown> = {}) {
  return {
    version: '4',
    groupKey: '{}/{cluster="fra-obj-02"}:{alertname="CNodeDown"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'opsbot',
    groupLabels: { alertname: 'CNodeDown' },
    commonLabels: { alertname: 'CNodeDown', cluster: 'fra-obj-02', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.helix.internal:9093',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'CNodeDown', cluster: 'fra-obj-02', node: 'cnode-1', severity: 'critical' },
        annotations: { summary: 'C-node cnode-1 is down' },
        startsAt: '2026-11-26T08:58:00.000Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus.helix.internal/graph',
        fingerprint: 'a1b2c3d4e5f60000',
        ...alert,
      },
    ],
  };
}

/** Rows the Slack door stored (what would be replayed at the next start). */
function storedSlackDeliveries(harness: Harness): number {
  const db = new Database(harness.driver.databasePath, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM slack_inbound').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function mention(harness: Harness) {
  const ts = slackTs(harness.clock.now());
  return { type: 'app_mention', user: STAFF, text: '<@U0OPSBOT01> hello', ts, event_ts: ts, channel: OPS };
}

describe('alarm webhooks refuse hostile and sloppy bodies with a 4xx and a reason', () => {
  it('answers 400 to an otherwise valid alert with deeply nested JSON inside, and stores nothing', async () => {
    h = await Harness.start({ mode: 'http' });
    const text = JSON.stringify(alertmanagerPayload({ extra: '__DEEP__' })).replace(
      '"__DEEP__"',
      nested(100_000),
    );
    const deep = await h.driver.webhook('alertmanager', 'helix-ai', null, { rawBody: text });
    expect(deep.status).toBe(400);
    expect(String(deep.body.error)).toMatch(/nested more than 64 levels deep/);
    const vms = await h.driver.webhook('vms', 'nimbus', null, {
      rawBody: `{"event":"DNODE_DOWN","object":${nested(200_000)}}`,
    });
    expect(vms.status).toBe(400);
    expect(String(vms.body.error)).toMatch(/nested more than 64 levels deep/);
    expect(h.bot.alarms.rawCount()).toBe(0);
    // The door still works for the next, sane, request.
    const fine = await h.driver.webhook('alertmanager', 'helix-ai', alertmanagerPayload());
    expect(fine.status).toBe(202);
    await h.advance('30s');
    await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    await h.finish();
  });

  it('refuses an unknown Alertmanager payload version and names it', async () => {
    h = await Harness.start({ mode: 'http' });
    const v3 = await h.driver.webhook('alertmanager', 'helix-ai', { ...alertmanagerPayload(), version: '3' });
    expect(v3.status).toBe(400);
    expect(String(v3.body.error)).toContain(
      'unsupported Alertmanager webhook version 3; opsbot reads version 4',
    );
    expect(h.bot.alarms.rawCount()).toBe(0);
    await h.finish();
  });

  it('refuses times that are not RFC 3339, naming the field, and keeps accepting the zero endsAt', async () => {
    h = await Harness.start({ mode: 'http' });
    const badStart = await h.driver.webhook(
      'alertmanager',
      'helix-ai',
      alertmanagerPayload({ startsAt: 'not-a-date' }),
    );
    expect(badStart.status).toBe(400);
    expect(badStart.body.error).toBe('alerts[0].startsAt: expected an RFC 3339 time, got "not-a-date"');
    const badEnd = await h.driver.webhook(
      'alertmanager',
      'helix-ai',
      alertmanagerPayload({ status: 'resolved', endsAt: 'yesterday' }),
    );
    expect(badEnd.status).toBe(400);
    expect(badEnd.body.error).toBe('alerts[0].endsAt: expected an RFC 3339 time, got "yesterday"');
    const vms = await h.driver.webhook('vms', 'nimbus', {
      event: 'DNODE_FAN_FAILED',
      cluster: 'sjc-obj-01',
      object: 'dnode-4/fan-2',
      timestamp: 'not-a-date',
    });
    expect(vms.status).toBe(400);
    expect(String(vms.body.error)).toMatch(/^timestamp: expected an RFC 3339 time .*got "not-a-date"$/);
    expect(h.bot.alarms.rawCount()).toBe(0);
    // Alertmanager's firing alerts carry Go's zero time as endsAt: valid, accepted.
    const firing = await h.driver.webhook('alertmanager', 'helix-ai', alertmanagerPayload());
    expect(firing.status).toBe(202);
    expect(firing.body).toMatchObject({ accepted: 1 });
    await h.advance('30s');
    await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    await h.finish();
  });

  it('answers a deeply nested Jira webhook with 400, not 500', async () => {
    h = await Harness.start({ mode: 'http' });
    const response = await fetch(`${h.driver.baseUrl}/webhooks/jira?secret=${JIRA_WEBHOOK_SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"webhookEvent":"jira:issue_updated","x":${nested(200_000)}}`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/nested more than 64 levels/);
    await h.finish();
  });
});

describe('/slack/events refuses malformed signed requests with a 4xx and a reason', () => {
  async function postSigned(harness: Harness, body: string, contentType = 'application/json') {
    const response = await harness.driver.postRaw(body, {
      'content-type': contentType,
      ...harness.driver.sign(body),
    });
    return { status: response.status, text: await response.text() };
  }

  it('answers 400 to a signed body nested 200,000 levels deep and stores nothing', async () => {
    h = await Harness.start({ mode: 'http' });
    const body = `{"type":"event_callback","event_id":"${newId('Ev')}","event":{"type":"app_mention","x":${nested(200_000)}}}`;
    const response = await postSigned(h, body);
    expect(response.status).toBe(400);
    expect(response.text).toMatch(/nested more than 64 levels deep/);
    const form = await postSigned(
      h,
      `payload=${encodeURIComponent(`{"type":"block_actions","x":${nested(1000)}}`)}`,
      'application/x-www-form-urlencoded',
    );
    expect(form.status).toBe(400);
    expect(form.text).toMatch(/^payload: body is nested more than 64 levels deep/);
    expect(storedSlackDeliveries(h)).toBe(0);
    await h.finish();
  });

  it('answers 400 to a signed event whose event is not an object, or whose body is not an object', async () => {
    h = await Harness.start({ mode: 'http' });
    for (const [event, reason] of [
      ['"not an object"', 'event: expected an object, got a string'],
      ['null', 'event: expected an object, got null'],
      ['[1,2]', 'event: expected an object, got an array'],
      ['{"channel":"C1"}', 'event.type: missing (expected a string)'],
    ] as const) {
      const body = `{"type":"event_callback","event_id":"${newId('Ev')}","team_id":"${SANDBOX_IDS.teamId}","event":${event}}`;
      const response = await postSigned(h, body);
      expect(response, event).toEqual({ status: 400, text: reason });
    }
    for (const [body, reason] of [
      ['[]', 'body: expected an object, got an array'],
      ['"hello"', 'body: expected an object, got a string'],
      ['null', 'body: expected an object, got null'],
    ] as const) {
      expect(await postSigned(h, body), body).toEqual({ status: 400, text: reason });
    }
    expect(storedSlackDeliveries(h)).toBe(0);
    // A well-formed event right after is processed as usual.
    const event = mention(h);
    const ok = await postSigned(
      h,
      JSON.stringify(eventCallbackBody(event, { teamId: SANDBOX_IDS.teamId, eventId: newId('Ev') })),
    );
    expect(ok.status).toBe(200);
    await h.channel(OPS).expectMessage(/Type `\/opsbot help`/);
    await h.finish();
  });

  it('answers 413 with the limit to a body over 1 MiB', async () => {
    h = await Harness.start({ mode: 'http' });
    const body = JSON.stringify({ type: 'event_callback', pad: 'x'.repeat(2 * 1024 * 1024) });
    const response = await postSigned(h, body);
    expect(response).toEqual({ status: 413, text: 'body is larger than 1048576 bytes' });
    expect(storedSlackDeliveries(h)).toBe(0);
    await h.finish();
  });
});

describe('Socket Mode acknowledges and drops malformed envelopes', () => {
  it('acks an envelope whose event is not an object, or that nests too deep, stores nothing, and keeps working', async () => {
    h = await Harness.start({ mode: 'socket' });
    await h.slack.socket.sendInteractive({ type: 'event_callback', event_id: newId('Ev'), event: 'nope' });
    await h.slack.socket.sendInteractive({ type: 'event_callback', event_id: newId('Ev'), event: null });
    const deep = JSON.parse(`{"type":"block_actions","actions":[],"x":${nested(1000)}}`) as object;
    await h.slack.socket.sendInteractive(deep);
    await h.slack.socket.sendEventsApi('not an event' as unknown as object);
    expect(h.slack.socket.acks).toHaveLength(4);
    expect(storedSlackDeliveries(h)).toBe(0);
    const event = mention(h);
    await h.driver.event(event);
    await h.channel(OPS).expectMessage(/Type `\/opsbot help`/);
    expect(storedSlackDeliveries(h)).toBe(1);
    await h.finish();
  });
});

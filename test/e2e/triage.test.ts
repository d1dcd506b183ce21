// Alarm triage end to end: alarms arrive as Slack messages and webhooks in their real wire
// formats; the bot answers with one card per problem, updates it sparingly, and records all.
import { WebClient } from '@slack/web-api';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../sandbox/slack-standin/types.js';
import { Harness } from './harness.js';

const STAFF = 'U0STAFF001';
const NIMBUS_ALARMS = 'C0NIMBALRM';
const NIMBUS_OPS = 'C0NIMBOPS1';
const HELIX_ALARMS = 'C0HELXALRM';
const VMS_BOT = 'B0VMSINTG1';

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

const vms = (harness: Harness, channel: string, text: string) =>
  harness.driver.postMessage({ channel, text, botId: VMS_BOT, username: 'VMS' });

function actionIds(message: StoredMessage): string[] {
  const ids: string[] = [];
  for (const block of (message.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ action_id?: string }>;
  }>) {
    if (block.type === 'actions')
      for (const e of block.elements ?? []) if (e.action_id) ids.push(e.action_id);
  }
  return ids;
}

function cardText(message: StoredMessage): string {
  return JSON.stringify(message.blocks ?? []) + message.text;
}

describe('alarm triage', () => {
  it('turns a D-node failure into one Sev1 card after group_wait, with the actions', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('29s');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(0);
    await h.advance('1s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/Sev1/);
    expect(card.text).toMatch(/INC-1/);
    expect(cardText(card)).toMatch(/Helix AI/);
    expect(cardText(card)).toMatch(/lon-obj-01/);
    expect(actionIds(card)).toEqual(
      expect.arrayContaining([
        'incident_ack',
        'incident_resolve',
        'incident_silence_1h',
        'incident_silence_4h',
        'incident_severity',
      ]),
    );
    // Salesforce/Jira are not connected yet: the card says so instead of offering dead buttons.
    expect(actionIds(card)).not.toContain('incident_case');
    expect(cardText(card)).toMatch(/not available/);
    // A first attempt posts straight away: no history lookup on the happy path.
    expect(h.slack.callsTo('conversations.history')).toHaveLength(0);
    expect(h.slack.callsTo('chat.postMessage')[0]?.args.metadata).toEqual({
      event_type: 'opsbot_incident_card',
      event_payload: { incident_id: 1 },
    });
    await h.finish();
  });

  it('adopts a card that a crashed attempt already posted instead of posting a second one', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.driver.settle(); // triaged: the incident and its first-card job exist
    // The first attempt reached Slack, then the process died before it could record the ts.
    const client = new WebClient(h.slack.botToken, { slackApiUrl: h.slack.apiUrl });
    const posted = await client.chat.postMessage({
      channel: HELIX_ALARMS,
      text: 'card posted by the attempt that crashed',
      metadata: { event_type: 'opsbot_incident_card', event_payload: { incident_id: 1 } },
    });
    const db = new Database(h.driver.databasePath);
    db.prepare("UPDATE jobs SET attempts = 1 WHERE idempotency_key = 'card:1:first'").run();
    db.close();
    await h.advance('30s');
    const cards = h.slack.messages(HELIX_ALARMS).filter((m) => m.bot_id);
    expect(cards).toHaveLength(1);
    expect(cards[0]?.ts).toBe(posted.ts);
    expect(h.bot.incidents.get(1)?.cardTs).toBe(posted.ts);
    await h.channel(HELIX_ALARMS).expectMessage(/Sev1 INC-1/); // updated in place
    await h.finish();
  });

  it('keeps a storm of hundreds of link flaps on one cluster to one card and a handful of Slack calls', async () => {
    h = await Harness.start({ mode: 'http' });
    for (let i = 0; i < 300; i++) {
      await vms(
        h,
        NIMBUS_ALARMS,
        `VMS | MINOR | cluster=sjc-obj-01 | NIC_LINK_FLAP | cnode-${Math.floor(i / 4) + 1}/eth${i % 4} | Link flapped on port eth${i % 4}`,
      );
      if (i % 10 === 9) await h.advance('2s');
    }
    await h.advance('10m');
    const cards = h.channel(NIMBUS_ALARMS).find(/INC-/);
    expect(cards).toHaveLength(1);
    const writes = h.slack.calls.filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update');
    expect(writes.length).toBeLessThanOrEqual(3);
    const card = await h.channel(NIMBUS_ALARMS).expectMessage(/INC-1/);
    expect(cardText(card)).toContain('*Alarms*\\n300 (300 firing)'); // 75 C-nodes × 4 ports
    await h.finish();
  });

  it('inhibits node-down alarms behind a network partition of the same cluster, and shows them on its card', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      NIMBUS_ALARMS,
      ':red_circle: [CRITICAL] sjc-obj-01 (San Jose) NETWORK_PARTITION cluster: Cluster partitioned: 2 racks unreachable',
    );
    await h.advance('5s');
    for (let i = 1; i <= 12; i++) {
      await vms(
        h,
        NIMBUS_ALARMS,
        `:red_circle: [CRITICAL] sjc-obj-01 (San Jose) DNODE_DOWN dnode-${i}: D-node dnode-${i} is not responding`,
      );
    }
    // A D-node down on another cluster is a different problem: its own card.
    await vms(
      h,
      NIMBUS_ALARMS,
      ':red_circle: [CRITICAL] phx-obj-01 (Phoenix) DNODE_DOWN dnode-40: D-node dnode-40 is not responding',
    );
    await h.advance('1m');
    const partition = await h.channel(NIMBUS_ALARMS).expectMessage(/partition/i);
    expect(cardText(partition)).toMatch(/12 inhibited|Suppressed[^"]*12|12[^"]*suppressed/i);
    await h.channel(NIMBUS_ALARMS).expectMessage(/dnode-40/);
    expect(h.channel(NIMBUS_ALARMS).find(/INC-/)).toHaveLength(2);
    await h.finish();
  });

  it('acknowledges from the card: the card says who, the timeline records it, a second click is refused', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) CNODE_DOWN cnode-7: C-node cnode-7 stopped responding',
    );
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    await h.advance('3m');
    const click = {
      user: STAFF,
      channel: HELIX_ALARMS,
      messageTs: card.ts,
      actionId: 'incident_ack',
      value: '1',
    };
    expect((await h.driver.click(click)).status).toBe(200);
    await h.driver.settle();
    const updated = h.slack.messages(HELIX_ALARMS).find((m) => m.ts === card.ts) as StoredMessage;
    expect(cardText(updated)).toMatch(/Acknowledged/);
    expect(cardText(updated)).toContain(`<@${STAFF}>`);
    expect(actionIds(updated)).not.toContain('incident_ack');
    const ephemeral = h.slack.callsTo('chat.postEphemeral');
    expect(ephemeral.at(-1)?.args.text).toMatch(/You acknowledged INC-1/);

    // The button is gone from the card, but a stale copy of it may still be clicked.
    await h.driver.click({ ...click, messageTs: card.ts });
    await h.driver.settle();
    expect(h.slack.callsTo('chat.postEphemeral').at(-1)?.args.text).toMatch(/already acknowledged/);

    const detail = await h.opsbot('incident INC-1', { user: STAFF, channel: 'C0HELXOPS1' });
    expect(detail).toMatch(/Acknowledged by <@U0STAFF001> after 3m 30s/);
    await h.finish();
  });

  it('refuses card actions from people who are not staff', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) CNODE_DOWN cnode-7: C-node cnode-7 stopped responding',
    );
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    await h.driver.click({
      user: 'U0CUSTOMR1',
      channel: HELIX_ALARMS,
      messageTs: card.ts,
      actionId: 'incident_resolve',
      value: '1',
    });
    await h.driver.settle();
    expect(h.slack.callsTo('chat.postEphemeral').at(-1)?.args.text).toMatch(/Only the vendor/);
    expect(h.bot.incidents.get(1)?.status).toBe('open');
    await h.finish();
  });

  it('changes severity from the overflow menu through a modal with a reason', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      NIMBUS_ALARMS,
      'VMS | MINOR | cluster=sjc-obj-01 | NIC_LINK_FLAP | cnode-3/eth1 | Link flapped on port eth1',
    );
    await h.advance('30s');
    const card = await h.channel(NIMBUS_ALARMS).expectMessage(/INC-1/);
    expect(card.text).toMatch(/Sev3/);
    await h.driver.click({
      user: STAFF,
      channel: NIMBUS_ALARMS,
      messageTs: card.ts,
      actionId: 'incident_severity',
      value: '1:2',
    });
    await h.driver.settle();
    expect(h.slack.callsTo('views.open')).toHaveLength(1);
    const empty = await h.driver.submitView({ user: STAFF, values: { reason: { reason_input: ' ' } } });
    expect(empty.body).toMatchObject({ response_action: 'errors' });
    const ok = await h.driver.submitView({
      user: STAFF,
      values: { reason: { reason_input: 'customer training run blocked' } },
    });
    expect(ok.status).toBe(200);
    await h.driver.settle();
    const updated = h.slack.messages(NIMBUS_ALARMS).find((m) => m.ts === card.ts) as StoredMessage;
    expect(updated.text).toMatch(/Sev2/);
    expect(cardText(updated)).toMatch(/customer training run blocked/);
    // A human decision sticks: a later minor alarm does not lower it back.
    await vms(
      h,
      NIMBUS_ALARMS,
      'VMS | MINOR | cluster=sjc-obj-01 | NIC_LINK_FLAP | cnode-4/eth1 | Link flapped on port eth1',
    );
    expect(h.bot.incidents.get(1)?.severity).toBe(2);
    await h.finish();
  });

  it('silences with a command: matching alarms are recorded but open no card; unsilence restores paging', async () => {
    h = await Harness.start({ mode: 'http' });
    const reply = await h.opsbot('silence cluster=phx-obj-01 category=network 2h planned switch work', {
      user: STAFF,
      channel: NIMBUS_OPS,
    });
    const id = /Silence (S-[0-9a-f]{6})/.exec(reply)?.[1];
    expect(id, reply).toBeDefined();
    await vms(
      h,
      NIMBUS_ALARMS,
      'VMS | MAJOR | cluster=phx-obj-01 | NIC_LINK_DOWN | cnode-12/eth3 | Link down on port eth3',
    );
    await h.advance('1m');
    expect(h.channel(NIMBUS_ALARMS).find(/INC-/)).toHaveLength(0);
    expect(await h.opsbot('silences', { user: STAFF, channel: NIMBUS_OPS })).toMatch(
      new RegExp(`${id}.*1 alarm\\(s\\) muted`),
    );
    expect(await h.opsbot(`unsilence ${id}`, { user: STAFF, channel: NIMBUS_OPS })).toMatch(/ended/);
    await vms(
      h,
      NIMBUS_ALARMS,
      'VMS | MAJOR | cluster=phx-obj-01 | NIC_LINK_DOWN | cnode-13/eth3 | Link down on port eth3',
    );
    await h.advance('30s');
    await h.channel(NIMBUS_ALARMS).expectMessage(/INC-/);
    const bad = await h.opsbot('silence 2h', { user: STAFF, channel: NIMBUS_OPS });
    expect(bad).toMatch(/Example: `\/opsbot silence /);
    await h.finish();
  });

  it('silences a card group for 1h from the card', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      NIMBUS_ALARMS,
      'VMS | MAJOR | cluster=sjc-obj-01 | NIC_LINK_DOWN | cnode-1/eth0 | Link down on port eth0',
    );
    await h.advance('30s');
    const card = await h.channel(NIMBUS_ALARMS).expectMessage(/INC-1/);
    await h.driver.click({
      user: STAFF,
      channel: NIMBUS_ALARMS,
      messageTs: card.ts,
      actionId: 'incident_silence_1h',
      value: '1',
    });
    await h.driver.settle();
    const updated = h.slack.messages(NIMBUS_ALARMS).find((m) => m.ts === card.ts) as StoredMessage;
    expect(cardText(updated)).toMatch(/Silenced until/);
    await h.finish();
  });

  it('resolves the incident when all its alarms clear and stay clear for the quiet period', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    await vms(
      h,
      HELIX_ALARMS,
      ':white_check_mark: [RESOLVED] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is back',
    );
    await h.advance('4m');
    expect(h.bot.incidents.get(1)?.status).toBe('open');
    await h.advance('1m');
    expect(h.bot.incidents.get(1)?.status).toBe('resolved');
    await h.advance('5m');
    const updated = h.slack.messages(HELIX_ALARMS).find((m) => m.ts === card.ts) as StoredMessage;
    expect(cardText(updated)).toMatch(/Resolved automatically/);
    expect(actionIds(updated)).toEqual([]);
    await h.finish();
  });

  it('reminds in the thread while a Sev1 stays unacknowledged (repeat_interval)', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    await h.advance('4h');
    await h
      .channel(HELIX_ALARMS)
      .expectMessage(/still firing and nobody has acknowledged/, { threadTs: card.ts });
    await h.finish();
  });

  it('records human replies in the card thread on the timeline', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    await h.driver.postMessage({
      channel: HELIX_ALARMS,
      user: STAFF,
      text: 'on it, reseating the NVRAM',
      threadTs: card.ts,
    });
    const detail = await h.opsbot('incident 1', { user: STAFF, channel: 'C0HELXOPS1' });
    expect(detail).toMatch(/on it, reseating the NVRAM/);
    expect(h.bot.incidents.listOpen()).toHaveLength(1);
    await h.finish();
  });

  it('keeps unparseable, huge and binary messages as unclassified and lists them in the daily digest', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(h, NIMBUS_ALARMS, 'the storage is being weird again?');
    await vms(h, NIMBUS_ALARMS, `${'x'.repeat(200_000)}`);
    await vms(h, NIMBUS_ALARMS, '\u0000\u0001\uFFFD\uD800 binary junk');
    await h.advance('1m');
    expect(h.channel(NIMBUS_ALARMS).find(/INC-/)).toHaveLength(0);
    // 09:00 in Los Angeles is 17:00 UTC; the clock starts at 09:00 UTC.
    await h.advance('8h');
    const digest = await h
      .channel(NIMBUS_OPS)
      .expectMessage(/Unclassified alarms for Nimbus GPU Cloud, last 24 h: 3/);
    expect(digest.text).toMatch(/being weird/);
    await h.finish();
  });

  it('retries a card update rate-limited by Slack after Retry-After', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    h.slack.failNext('chat.update', { rateLimitedRetryAfterSec: 20 });
    await h.driver.click({
      user: STAFF,
      channel: HELIX_ALARMS,
      messageTs: card.ts,
      actionId: 'incident_ack',
      value: '1',
    });
    await h.driver.settle();
    expect(h.slack.callsTo('chat.update').map((c) => c.status)).toEqual([429]);
    await h.advance('20s');
    expect(h.slack.callsTo('chat.update').map((c) => c.status)).toEqual([429, 200]);
    await h.finish();
  });

  it('treats Slack re-deliveries of an alarm message as no-ops', async () => {
    h = await Harness.start({ mode: 'http' });
    const posted = await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    const ts = posted.ts;
    const event = {
      type: 'message',
      subtype: 'bot_message',
      bot_id: VMS_BOT,
      username: 'VMS',
      channel: HELIX_ALARMS,
      text: ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
      ts,
      event_ts: ts,
      channel_type: 'channel',
    };
    // Slack retried with a new delivery but the same message: the raw alarm key (channel + ts) holds.
    await h.driver.event(event, { retryNum: 1 });
    expect(h.bot.alarms.rawCount()).toBe(1);
    await h.advance('30s');
    await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    await h.finish();
  });

  it('marks a flapping alarm and stops reminding about it', async () => {
    h = await Harness.start({ mode: 'http' });
    const fire =
      ':red_circle: [MAJOR] sjc-obj-01 (San Jose) NIC_LINK_DOWN cnode-9/eth2: Link down on port eth2';
    const clear =
      ':white_check_mark: [RESOLVED] sjc-obj-01 (San Jose) NIC_LINK_DOWN cnode-9/eth2: Link up on port eth2';
    await vms(h, NIMBUS_ALARMS, fire);
    for (let i = 0; i < 3; i++) {
      await h.advance('1m');
      await vms(h, NIMBUS_ALARMS, clear);
      await h.advance('1m');
      await vms(h, NIMBUS_ALARMS, fire);
    }
    await h.advance('6m');
    const card = await h.channel(NIMBUS_ALARMS).expectMessage(/INC-1/);
    expect(cardText(card)).toMatch(/[Ff]lapping/);
    await h.advance('5h');
    expect(h.channel(NIMBUS_ALARMS).find(/still firing/)).toHaveLength(0);
    await h.finish();
  });
});

describe('alarm triage over Socket Mode', () => {
  it('reads alarms from Socket Mode envelopes and posts the card', async () => {
    h = await Harness.start({ mode: 'socket' });
    await vms(
      h,
      HELIX_ALARMS,
      ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/Sev1/);
    await h.driver.click({
      user: STAFF,
      channel: HELIX_ALARMS,
      messageTs: card.ts,
      actionId: 'incident_ack',
      value: '1',
    });
    await h.driver.settle();
    expect(h.bot.incidents.get(1)?.status).toBe('acknowledged');
    expect(h.slack.socket.strayAcks).toEqual([]);
    await h.finish();
  });
});

// Proactive outreach end to end: alarms in their wire formats → a detector's draft in the ops
// channel → a click on Send → the message in the customer's shared channel, then edits, updates,
// corrections, retractions, the closing message, who was first, and the stats. The real app over
// HTTP, the Slack stand-in and a fake clock.
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { CUSTOMER_USER } from '../../sandbox/driver.js';
import type { StoredMessage } from '../../sandbox/slack-standin/types.js';
import { SANDBOX_IDS } from '../../sandbox/slack-wire.js';
import { Harness } from './harness.js';

const STAFF = 'U0STAFF001';
/** A second staff member: approves the first message (the on-call is STAFF). */
const APPROVER = 'U0STAFF002';
const AURORA_ALARMS = 'C0AURAALRM';
const AURORA_OPS = 'C0AURAOPS1';
const AURORA_SHARED = 'C0AURACUST';
const HELIX_SHARED = 'C0HELXCUST';
const CUSTOMER_TEAM = 'T0AURORACST';
const VMS_BOT = 'B0VMSINTG1';

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

const vms = (harness: Harness, text: string) =>
  harness.driver.postMessage({ channel: AURORA_ALARMS, text, botId: VMS_BOT, username: 'VMS' });

const FLAP =
  ':large_orange_circle: [MAJOR] sgp-obj-01 (Singapore) NIC_LINK_FLAP cnode-4/eth3: Link down on port eth3';
const FLAP_CLEAR =
  ':white_check_mark: [RESOLVED] sgp-obj-01 (Singapore) NIC_LINK_FLAP cnode-4/eth3: Link up on port eth3';

/** A NIC on sgp-obj-01 bounces five times in ten minutes, and is down at the end. */
async function nicFlap(harness: Harness): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await vms(harness, FLAP);
    await harness.advance('1m');
    if (i < 4) {
      await vms(harness, FLAP_CLEAR);
      await harness.advance('1m');
    }
  }
}

/** A message in a shared channel from one of the customer's own users (another workspace). */
async function customerSays(
  harness: Harness,
  text: string,
  channel = AURORA_SHARED,
  as: { user: string; team: string } = { user: CUSTOMER_USER, team: CUSTOMER_TEAM },
) {
  const ts = harness.slack.mintTs();
  return harness.driver.event({
    type: 'message',
    channel,
    user: as.user,
    user_team: as.team,
    source_team: as.team,
    text,
    ts,
    event_ts: ts,
    channel_type: 'channel',
  });
}

function actionIds(message: StoredMessage): string[] {
  return ((message.blocks ?? []) as Array<{ type: string; elements?: Array<{ action_id?: string }> }>)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).flatMap((e) => (e.action_id ? [e.action_id] : [])));
}

function ephemeralTexts(harness: Harness): string[] {
  return harness.slack.callsTo('chat.postEphemeral').map((c) => String(c.args.text));
}

/** A click on a card's button; `value` is what the button carried (the card may have changed since). */
async function click(harness: Harness, message: StoredMessage, actionId: string, user = STAFF) {
  const value = (
    message.metadata as { event_payload?: { draft_id?: number; incident_id?: number } } | undefined
  )?.event_payload;
  const id = value?.draft_id ?? value?.incident_id;
  const result = await harness.driver.click({
    user,
    channel: message.channel,
    messageTs: message.ts,
    actionId,
    ...(id === undefined ? {} : { value: String(id) }),
  });
  expect(result.status).toBe(200);
  await harness.driver.settle();
}

function current(harness: Harness, message: StoredMessage): StoredMessage {
  return harness.slack.messages(message.channel).find((m) => m.ts === message.ts) as StoredMessage;
}

describe('proactive outreach', () => {
  it('drafts recurring trouble, sends it once on approval, and keeps the customer updated to the end', async () => {
    h = await Harness.start({ mode: 'http' });
    await nicFlap(h);
    await h.advance('1m');
    const card = await h.channel(AURORA_ALARMS).expectMessage(/INC-1/);
    const draft = await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    expect(draft.text).toContain(`<@${STAFF}>`); // the on-call is asked
    const body = JSON.stringify(draft.blocks);
    expect(body).toContain('recurring trouble');
    expect(body).toContain('sgp-obj-01');
    expect(actionIds(draft)).toEqual([
      'outreach_send',
      'outreach_edit',
      'outreach_snooze',
      'outreach_discard',
    ]);
    // The incident card offers the first-contact overrides.
    expect(actionIds(current(h, card))).toEqual(
      expect.arrayContaining(['incident_customer_reported', 'incident_not_related']),
    );

    // A customer pressing an internal button is refused politely; nothing is sent.
    await click(h, draft, 'outreach_send', CUSTOMER_USER);
    expect(ephemeralTexts(h).at(-1)).toMatch(/for the support team/);
    expect(h.slack.messages(AURORA_SHARED)).toEqual([]);

    // Send, and Slack retrying the same click: one message in the shared channel.
    await click(h, draft, 'outreach_send', APPROVER);
    await click(h, draft, 'outreach_send', APPROVER);
    const sent = await h.channel(AURORA_SHARED).expectMessage(/network trouble on your cluster sgp-obj-01/);
    expect(sent.text).not.toMatch(/INC-|Internal|cnode-4\/eth3 alarmed|Helix/);
    expect(ephemeralTexts(h).at(-2)).toMatch(/Sending it to Aurora Labs/);
    expect(ephemeralTexts(h).at(-1)).toMatch(/already/);
    expect(JSON.stringify(current(h, draft).blocks)).toMatch(/Sent to the customer by <@U0STAFF002>/);
    expect(actionIds(current(h, draft))).toEqual(['outreach_correct', 'outreach_retract']);
    const timeline = h.bot.incidents.timeline(1);
    expect(timeline.find((e) => e.kind === 'outreach')).toMatchObject({ actor: APPROVER });
    expect(timeline.find((e) => e.kind === 'first-contact')?.text).toMatch(/we reached out first/);

    // Correct: an empty text is refused in the modal, a real one replaces the message.
    await click(h, current(h, draft), 'outreach_correct');
    const empty = await h.driver.submitView({ user: STAFF, values: { text: { text_input: '  ' } } });
    expect(empty.body).toMatchObject({
      response_action: 'errors',
      errors: { text: expect.stringMatching(/empty/) },
    });
    const fixed = await h.driver.submitView({
      user: STAFF,
      values: { text: { text_input: 'We see link trouble on sgp-obj-01 and are on it.' } },
    });
    expect(fixed.status).toBe(200);
    await h.driver.settle();
    expect(current(h, sent).text).toBe('We see link trouble on sgp-obj-01 and are on it.');
    expect(current(h, sent).history).toHaveLength(2);

    // The customer writes after our message: we were first, with the lead time on the timeline.
    await h.advance('5m');
    await customerSays(h, 'Hi, our training jobs on sgp-obj-01 see timeouts, anything known?');
    await h.driver.settle();
    const judged = h.bot.incidents
      .timeline(1)
      .filter((e) => e.kind === 'first-contact')
      .at(-1);
    expect(judged?.text).toMatch(/we reached out first, 5m .*before the customer wrote/);

    // The promised update falls due: a pre-filled update draft; Send refuses until {progress} is filled.
    await h.advance('60m');
    const update = await h.channel(AURORA_OPS).expectMessage(/Update draft for Aurora/);
    expect(update.text).toContain(`<@${APPROVER}>`); // who made the promise is asked to keep it
    expect(JSON.stringify(update.blocks)).toContain('{progress}');
    await click(h, update, 'outreach_send');
    expect(ephemeralTexts(h).at(-1)).toMatch(/Fill in \{progress\} first/);
    await click(h, update, 'outreach_edit');
    const editor = h.slack.views().at(-1);
    expect(JSON.stringify(editor?.definition)).toContain('{progress}');
    const blocks = (editor?.definition.blocks ?? []) as Array<{ element?: { initial_value?: string } }>;
    const text = String(blocks[0]?.element?.initial_value).replace(
      '{progress}',
      'the switch port was replaced; links are stable.',
    );
    await h.driver.submitView({ user: STAFF, values: { text: { text_input: text } } });
    await h.driver.settle();
    await click(h, current(h, update), 'outreach_send');
    await h.channel(AURORA_SHARED).expectMessage(/the switch port was replaced/);

    // Resolved from the card: a closing message is offered and sent.
    await click(h, current(h, card), 'incident_resolve');
    await h.advance('1m');
    const closing = await h.channel(AURORA_OPS).expectMessage(/Closing message draft for Aurora/);
    await click(h, closing, 'outreach_send');
    await h.channel(AURORA_SHARED).expectMessage(/is resolved as of/);

    // Retract the update: it disappears from the shared channel, audited on the timeline.
    await click(h, current(h, update), 'outreach_retract');
    expect(h.slack.messages(AURORA_SHARED).filter((m) => !m.deleted)).toHaveLength(2);
    expect(
      h.bot.incidents.timeline(1).some((e) => e.kind === 'outreach' && /retracted by/.test(e.text)),
    ).toBe(true);
    await h.channel(AURORA_ALARMS).expectMessage(/INC-1/);
    await h.finish();
  });

  it('drafts a capacity trend from daily usage alarms before the threshold is reached', async () => {
    h = await Harness.start({ mode: 'http' });
    for (const [day, pct] of [80, 82, 84, 86, 88].entries()) {
      await vms(
        h,
        `:large_yellow_circle: [WARNING] sgp-obj-01 (Singapore) POOL_CAPACITY pool-1: Pool capacity at ${pct} % used`,
      );
      if (day === 0) {
        await h.advance('1m');
        await click(h, await h.channel(AURORA_ALARMS).expectMessage(/INC-1/), 'incident_ack');
      }
      await h.advance(day < 4 ? '24h' : '20m');
    }
    const draft = await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    const body = JSON.stringify(draft.blocks);
    expect(body).toMatch(/capacity trend/);
    expect(body).toMatch(/Usage on your cluster sgp-obj-01 is growing quickly/);
    expect(body).toMatch(/would reach 90 %/);
    await click(h, draft, 'outreach_discard');
    expect(ephemeralTexts(h).at(-1)).toMatch(/Discarded/);
    expect(JSON.stringify(current(h, draft).blocks)).toMatch(/Discarded: nothing was sent/);
    expect(h.slack.messages(AURORA_SHARED)).toEqual([]);
    await h.finish();
  });

  it('drafts checkpoint-cadence latency that is worse than on previous days', async () => {
    h = await Harness.start({ mode: 'http' });
    // Three quiet days, then latency spikes every 12 minutes (each write, then it clears).
    await h.advance('72h');
    for (let i = 0; i < 8; i++) {
      await vms(
        h,
        ':large_yellow_circle: [WARNING] sgp-gpu-01 (Singapore) WRITE_LATENCY perf-1: Elevated latency on writes, 45 ms',
      );
      await h.advance('2m');
      await vms(
        h,
        ':white_check_mark: [RESOLVED] sgp-gpu-01 (Singapore) WRITE_LATENCY perf-1: Latency back to normal',
      );
      await h.advance('10m');
    }
    await h.advance('2m');
    const draft = await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    const body = JSON.stringify(draft.blocks);
    expect(body).toMatch(/checkpoint latency/);
    // It was drafted a while before the last spike: the on-call was reminded once already.
    await h.channel(AURORA_OPS).expectMessage(/still waiting for a decision/, { threadTs: draft.ts });
    expect(body).toMatch(/higher storage latency on your cluster sgp-gpu-01/);
    await click(h, draft, 'outreach_snooze');
    expect(ephemeralTexts(h).at(-1)).toMatch(/Snoozed for 1h/);
    for (const card of h.channel(AURORA_ALARMS).find(/INC-/)) h.claim(card);
    await h.finish();
  });

  it('drafts a Sev1 incident with customer impact and reminds once before the draft expires', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      ':red_circle: [CRITICAL] sgp-obj-01 (Singapore) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('1m');
    const draft = await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    expect(JSON.stringify(draft.blocks)).toMatch(/customer impact/);
    expect(JSON.stringify(draft.blocks)).toMatch(/storage enclosure/);
    await h.advance('15m');
    await h.channel(AURORA_OPS).expectMessage(/still waiting for a decision/, { threadTs: draft.ts });
    await h.advance('45m');
    expect(JSON.stringify(current(h, draft).blocks)).toMatch(/Expired/);
    await click(h, current(h, draft), 'outreach_send');
    // The expired card has no buttons left; a stale click still gets a clear answer.
    expect(ephemeralTexts(h).at(-1)).toMatch(/expired/);
    expect(h.slack.messages(AURORA_SHARED)).toEqual([]);
    await h.channel(AURORA_ALARMS).expectMessage(/INC-1/);
    await h.finish();
  });

  it('tells the approver when the bot is not in the customer channel or it is archived, and posts once fixed', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      ':red_circle: [CRITICAL] sgp-obj-01 (Singapore) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('1m');
    const draft = await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    h.slack.setChannelState(AURORA_SHARED, { is_member: false });
    await click(h, draft, 'outreach_send');
    await h.channel(AURORA_OPS).expectMessage(/not a member of the customer channel/, { threadTs: draft.ts });
    expect(actionIds(current(h, draft))).toContain('outreach_send');
    h.slack.setChannelState(AURORA_SHARED, { is_member: true, is_archived: true });
    await click(h, current(h, draft), 'outreach_send');
    await h.channel(AURORA_OPS).expectMessage(/customer channel is archived/, { threadTs: draft.ts });
    h.slack.setChannelState(AURORA_SHARED, { is_archived: false });
    await click(h, current(h, draft), 'outreach_send');
    await h.channel(AURORA_SHARED).expectMessage(/storage enclosure/);
    await h.channel(AURORA_ALARMS).expectMessage(/INC-1/);
    await h.finish();
  });

  it('never posts twice when the bot restarts between approval and the post', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      ':red_circle: [CRITICAL] sgp-obj-01 (Singapore) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('1m');
    const draft = await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    // The first attempt's post reached Slack but its answer was lost (a 500), then the bot restarted.
    h.slack.failNext('chat.postMessage', { httpStatus: 500 });
    await click(h, draft, 'outreach_send');
    const client = new WebClient(h.slack.botToken, { slackApiUrl: h.slack.apiUrl });
    const reached = await client.chat.postMessage({
      channel: AURORA_SHARED,
      text: 'the post of the attempt whose answer was lost',
      metadata: { event_type: 'opsbot_message', event_payload: { key: 'outreach:1' } },
    });
    await h.driver.restart();
    await h.advance('1m');
    const only = await h.channel(AURORA_SHARED).expectMessage(/./);
    expect(only.ts).toBe(reached.ts);
    expect(JSON.stringify(current(h, draft).blocks)).toMatch(/Sent to the customer/);
    await h.channel(AURORA_ALARMS).expectMessage(/INC-1/);
    await h.finish();
  });

  it('records the customer as first when they write before we do, and staff can say it was not related', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      ':red_circle: [CRITICAL] sgp-obj-01 (Singapore) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('1m');
    await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    await customerSays(h, 'sgp-obj-01 is throwing errors for our training jobs, are you aware?');
    await h.driver.settle();
    const first = h.bot.incidents.timeline(1).filter((e) => e.kind === 'first-contact');
    expect(first.at(-1)?.text).toMatch(/the customer wrote in the shared channel first/);
    // A message from our own workspace or in another tenant's shared channel is no customer signal.
    await customerSays(h, 'sgp-obj-01 is slow', HELIX_SHARED);
    await h.driver.settle();
    expect(h.bot.incidents.timeline(1).filter((e) => e.kind === 'first-contact')).toHaveLength(1);

    const card = await h.channel(AURORA_ALARMS).expectMessage(/INC-1/);
    await click(h, card, 'incident_not_related', CUSTOMER_USER);
    expect(ephemeralTexts(h).at(-1)).toMatch(/support staff/);
    await click(h, card, 'incident_not_related');
    expect(ephemeralTexts(h).at(-1)).toMatch(/Noted for INC-1: nobody has told the other yet/);
    const last = h.bot.incidents
      .timeline(1)
      .filter((e) => e.kind === 'first-contact')
      .at(-1);
    expect(last).toMatchObject({ actor: STAFF });

    // Stats: staff see the tenant's numbers; a customer is refused; another tenant's channel is scoped.
    await click(h, card, 'incident_customer_reported');
    const reply = await h.driver.slashCommand({
      command: '/outreach',
      user: STAFF,
      channel: AURORA_OPS,
      text: 'stats aurora 7d',
    });
    expect(String(reply.body?.text)).toMatch(/Proactive rate: 0 % \(we were first on 0 of 1/);
    expect(String(reply.body?.text)).toMatch(/INC-1.*the customer was first|INC-1.*never reached out/s);
    const refused = await h.driver.slashCommand({
      command: '/outreach',
      user: CUSTOMER_USER,
      channel: AURORA_SHARED,
      text: 'stats aurora',
    });
    expect(String(refused.body?.text)).toMatch(/for the support team/);
    const scoped = await h.driver.slashCommand({
      command: '/outreach',
      user: STAFF,
      channel: 'C0HELXOPS1',
      text: 'stats aurora',
    });
    expect(String(scoped.body?.text)).toMatch(/belongs to Helix AI/);
    const bad = await h.driver.slashCommand({
      command: '/outreach',
      user: STAFF,
      channel: AURORA_OPS,
      text: 'stats aurora soon',
    });
    expect(String(bad.body?.text)).toMatch(/not a period.*e\.g\. `\/outreach stats aurora 30d`/);
    await h.finish();
  });

  it('counts a case the customer opened in Salesforce, seen by the case poll, as their first signal', async () => {
    h = await Harness.start({ mode: 'http', integrations: true });
    const salesforce = h.driver.integrations?.salesforce;
    if (!salesforce) throw new Error('integrations did not start');
    await vms(
      h,
      ':red_circle: [CRITICAL] sgp-obj-01 (Singapore) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('1m');
    await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    // The case opsbot opened (tenant rule for Sev1) is ours: no customer signal.
    await h.advance('2m');
    expect(h.bot.incidents.timeline(1).filter((e) => e.kind === 'first-contact')).toEqual([]);
    salesforce.customerCase({
      accountId: '001Dn00000AurLB',
      subject: 'Training jobs on sgp-obj-01 fail with I/O errors',
    });
    await h.advance('2m');
    const judged = h.bot.incidents.timeline(1).filter((e) => e.kind === 'first-contact');
    expect(judged.at(-1)?.text).toMatch(/the customer opened a case first; we have not reached out/);
    for (const message of h.channel(AURORA_ALARMS).find(/./)) h.claim(message);
    await h.finish();
  });

  it('counts a guest of our workspace as the customer, but not a colleague who is not staff', async () => {
    h = await Harness.start({ mode: 'http' });
    h.slack.addUser({ id: 'U0GUESTUS1', name: 'aurora.guest', is_restricted: true });
    h.slack.addUser({ id: 'U0COLLEAG1', name: 'sales.colleague' });
    await vms(
      h,
      ':red_circle: [CRITICAL] sgp-obj-01 (Singapore) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('1m');
    await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    await customerSays(h, 'is sgp-obj-01 ok?', AURORA_SHARED, {
      user: 'U0COLLEAG1',
      team: SANDBOX_IDS.teamId,
    });
    await h.driver.settle();
    expect(h.bot.incidents.timeline(1).filter((e) => e.kind === 'first-contact')).toEqual([]);
    await customerSays(h, 'sgp-obj-01 returns errors', AURORA_SHARED, {
      user: 'U0GUESTUS1',
      team: SANDBOX_IDS.teamId,
    });
    await h.driver.settle();
    expect(
      h.bot.incidents
        .timeline(1)
        .filter((e) => e.kind === 'first-contact')
        .at(-1)?.text,
    ).toMatch(/the customer wrote in the shared channel first/);
    await h.channel(AURORA_ALARMS).expectMessage(/INC-1/);
    await h.finish();
  });

  it('reports the week in the Monday weekly digest of the tenant', async () => {
    h = await Harness.start({ mode: 'http' });
    await vms(
      h,
      ':red_circle: [CRITICAL] sgp-obj-01 (Singapore) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
    );
    await h.advance('1m');
    const draft = await h.channel(AURORA_OPS).expectMessage(/Outreach draft for Aurora/);
    await click(h, draft, 'outreach_send');
    await h.channel(AURORA_SHARED).expectMessage(/storage enclosure/);
    await h.advance('10m');
    await customerSays(h, 'we see errors on sgp-obj-01 too');
    const card = await h.channel(AURORA_ALARMS).expectMessage(/INC-1/);
    await click(h, card, 'incident_resolve');
    await h.advance('1m');
    await click(h, await h.channel(AURORA_OPS).expectMessage(/Closing message draft/), 'outreach_discard');
    // Monday 08:00 in Singapore is Monday 00:00 UTC.
    await h.advance(Date.parse('2026-11-30T00:00:00Z') - h.clock.now());
    const digest = await h.channel(AURORA_OPS).expectMessage(/Weekly digest for Aurora Labs/);
    expect(digest.text).toMatch(/Proactive outreach for Aurora Labs, last week/);
    expect(digest.text).toMatch(/Proactive rate: 100 % \(we were first on 1 of 1/);
    expect(digest.text).toMatch(/Median lead time: 10m/);
    await h.finish();
  });
});

// Response clocks end to end: a Sev1 alarm in its wire format → the card with its clock → the
// reminders at 10, 20 and 25 minutes in the thread and as DMs escalating along the chain → the
// breach at 30 minutes, once, recorded, told to the manager and the CSM and noted on the
// Salesforce case → /sla and /sla report with the credit exposure and the CSV — and a restart in
// the middle changing nothing. The real app over HTTP, the stand-ins and a fake clock.
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../sandbox/fake-clock.js';
import type { StoredMessage } from '../../sandbox/slack-standin/types.js';
import { Harness } from './harness.js';

const STAFF = 'U0STAFF001';
const SECONDARY = 'U0STAFF002';
const MANAGER = 'U0VEGAMGR1';
const CSM = 'U0VEGACSM1';
const ALARMS = 'C0VEGAALRM';
const OPS = 'C0VEGAOPS1';
const SHARED = 'C0VEGACUST';
const NIMBUS_ALARMS = 'C0NIMBALRM';
const VMS_BOT = 'B0VMSINTG1';
const dm = (user: string) => `D${user.slice(1)}`;
const DNODE_DOWN =
  ':red_circle: [CRITICAL] pdx-obj-01 (Portland) DNODE_DOWN dnode-3: D-node dnode-3 is not responding';
const LINK_FLAP =
  ':large_yellow_circle: [MINOR] pdx-obj-01 (Portland) NIC_LINK_FLAP cnode-2/eth1: Link flapped on port eth1';

// 03:00 on a Saturday in Portland (PST, UTC−8): Sev1 is covered around the clock.
const SATURDAY_3AM = '2026-12-05T11:00:00Z';

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

const start = (at: string, integrations = false) =>
  Harness.start({ mode: 'http', clock: new FakeClock(at), integrations });
const vms = (harness: Harness, text: string) =>
  harness.driver.postMessage({ channel: ALARMS, text, botId: VMS_BOT, username: 'VMS' });

async function command(harness: Harness, name: string, text: string, channel = OPS, user = STAFF) {
  const result = await harness.driver.slashCommand({ user, channel, text, command: name });
  expect(result.status).toBe(200);
  expect(result.body?.response_type).toBe('ephemeral');
  return String(result.body?.text ?? '');
}

function card(harness: Harness, incidentId = 1): StoredMessage {
  const ts = harness.bot.incidents.get(incidentId)?.cardTs;
  const message = harness.slack.messages(ALARMS).find((m) => m.ts === ts);
  if (!message) throw new Error(`no card for INC-${incidentId}`);
  harness.claim(message);
  return message;
}
const content = (m: StoredMessage) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`;
const thread = (harness: Harness, pattern: RegExp) =>
  harness.channel(ALARMS).find(pattern, { threadTs: harness.bot.incidents.get(1)?.cardTs as string });

async function click(harness: Harness, message: StoredMessage, actionId: string, incidentId = 1) {
  const result = await harness.driver.click({
    user: STAFF,
    channel: message.channel,
    messageTs: message.ts,
    actionId,
    value: String(incidentId),
  });
  expect(result.status).toBe(200);
  await harness.driver.settle();
}

/** Claims what a Sev1 with integrations posts besides the clock (the case, the escalation). */
function claimIntegrationNotes(harness: Harness) {
  for (const m of harness.channel(ALARMS).find(/Salesforce case|Escalated to engineering/)) harness.claim(m);
}

describe('response clocks', () => {
  it('a Sev1 nobody answers: three reminders escalating, one breach at 30 minutes, a restart at 24 changing nothing, and the report', async () => {
    h = await start(SATURDAY_3AM, true);
    await vms(h, DNODE_DOWN);
    await h.advance('1m');
    expect(content(card(h))).toMatch(/SLA: Sev1 response due by Sat 5 Dec 03:30 PST \(30m target\)/);
    // The generic repeat reminder never runs for an incident under an SLA.
    const cardUpdates = () =>
      h?.slack.callsTo('chat.update').filter((c) => c.args.ts === h?.bot.incidents.get(1)?.cardTs).length;
    const updatesBefore = cardUpdates();
    await h.advance('9m'); // 03:10
    const first = await h.channel(ALARMS).expectMessage(/SLA reminder/, { threadTs: card(h).ts });
    // A reminder changes nothing the card shows: the card is left alone.
    expect(cardUpdates()).toBe(updatesBefore);
    expect(first.text).toMatch(/no human response for 10m: 20m left of the 30m target/);
    expect(first.text).toContain(`<@${STAFF}> (primary on call)`);
    await h.channel(dm(STAFF)).expectMessage(/Vega AI: INC-1 \(Sev1\).*no human response for 10m/);

    await h.advance('10m'); // 03:20
    const second = thread(h, /SLA reminder/).at(-1) as StoredMessage;
    h.claim(second);
    expect(second.text).toMatch(/for 20m: 10m left.*Escalating to <@U0STAFF002> \(secondary on call\)/);
    await h.channel(dm(SECONDARY)).expectMessage(/INC-1 \(Sev1\).*for 20m/);

    // Down at 03:24 for three minutes: the 25-minute reminder goes out once, late, and says so.
    await h.advance('4m');
    await h.driver.restart(() => h?.clock.advance('3m')); // up again at 03:27
    await h.driver.settle();
    const third = thread(h, /SLA reminder/).at(-1) as StoredMessage;
    h.claim(third);
    expect(third.text).toMatch(/for 25m: 5m left.*Escalating to <@U0VEGAMGR1> \(manager\)/);
    expect(third.text).toMatch(/sent 2m late/);
    await h.channel(dm(MANAGER)).expectMessage(/INC-1 \(Sev1\).*for 25m.*sent 2m late/);

    await h.advance('3m'); // 03:30 exactly: the breach
    const breach = await h.channel(ALARMS).expectMessage(/SLA breached/, { threadTs: card(h).ts });
    expect(breach.text).toMatch(
      /no human response within the 30m target \(clock started Sat 5 Dec 03:00 PST, due Sat 5 Dec 03:30 PST\)/,
    );
    expect(breach.text).toMatch(/noted on the Salesforce case/);
    expect(breach.text).toContain(`<@${MANAGER}> (manager), <@${CSM}> (customer success manager)`);
    await h.channel(dm(MANAGER)).expectMessage(/SLA breached/);
    await h.channel(dm(CSM)).expectMessage(/SLA breached/);
    expect(
      h.driver
        .integrations!.salesforce.comments()
        .map((c) => c.CommentBody)
        .join('\n'),
    ).toMatch(/SLA breached: no human response within 30m/);
    expect(content(card(h))).toMatch(/SLA breached at Sat 5 Dec 03:30 PST/);

    // Another restart and an hour later: nothing more (each notice went out exactly once).
    await h.driver.restart();
    await h.advance('1h');
    expect(thread(h, /SLA reminder/)).toHaveLength(3);
    expect(thread(h, /SLA breached/)).toHaveLength(1);
    expect(
      h.slack.messages(dm(STAFF)).filter((m) => /SLA reminder|no human response/.test(m.text)),
    ).toHaveLength(1);

    const list = await command(h, '/sla', '');
    expect(list).toMatch(/INC-1\* Vega AI Sev1 — breached 1h ago/);

    // The acknowledgement comes late: the clock stops, the breach stays.
    expect(await command(h, '/ack', 'INC-1', ALARMS)).toMatch(/You acknowledged INC-1/);
    expect(await command(h, '/ack', 'INC-1', ALARMS)).toMatch(
      /INC-1 was already acknowledged by <@U0STAFF001>/,
    );
    expect(await command(h, '/sla', '')).toMatch(/No response clock is running/);

    const report = await command(h, '/sla', 'report vega 2026-12');
    expect(report).toMatch(/SLA report — Vega AI, 2026-12/);
    expect(report).toMatch(
      /Sev1: 1 response, median 90 min, p90 90 min, max 90 min; 0 of 1 on time = 0 %; 1 breach/,
    );
    expect(report).toMatch(/1 breach \(Sev1\/Sev2\) → tier 1–2 → 5 % × 50,000 USD = 2,500 USD/);
    expect(report).toMatch(
      /Availability 99.798 % \(SLO 99.9 %\) &lt; 99.9 % → 10 % × 50,000 USD = 5,000 USD/,
    );
    expect(report).toMatch(/Total 7,500 USD; cap 20 % = 10,000 USD → credit 7,500 USD/);
    expect(report).toMatch(
      /INC-1 Sev1: clock started Sat 5 Dec 03:00 PST .* breached Sat 5 Dec 03:30 PST.*first response .* by <@U0STAFF001>; 3 reminder\(s\) sent/,
    );
    const csv = await h.channel(OPS).expectFile('sla-vega-2026-12.csv');
    expect(csv.content).toMatch(/^section,tenant,month,severity,incident,metric,value,unit,detail\r\n/);
    expect(csv.content).toMatch(/breach,vega,2026-12,sev1,1,/);
    expect(csv.initialComment).toMatch(/SLA report for Vega AI, 2026-12/);
    claimIntegrationNotes(h);
    await h.finish();
  });

  it('a Sev1 acknowledged at 9 minutes: no reminder after it, and the report counts it on time', async () => {
    h = await start(SATURDAY_3AM);
    await vms(h, DNODE_DOWN);
    await h.advance('9m');
    await click(h, card(h), 'incident_ack');
    await h.advance('1h');
    expect(thread(h, /SLA reminder|SLA breached/)).toEqual([]);
    expect(content(card(h))).toMatch(/SLA: first response after 9m \(target 30m\)/);
    const report = await command(h, '/sla', 'report 2026-12', OPS);
    expect(report).toMatch(/Sev1: 1 response, median 9 min.*1 of 1 on time = 100 %; 0 breaches/);
    expect(report).toMatch(/No breaches/);
    await h.channel(OPS).expectFile('sla-vega-2026-12.csv');
    // Monday 08:00 in Los Angeles: the weekly digest in the ops channel carries response times.
    await h.advance('53h');
    const digest = await h.channel(OPS).expectMessage(/Response times \(SLA\)/);
    expect(digest.text).toMatch(/Sev1: 1 clock\(s\), 1 answered, median 9m, slowest 9m; 0 breaches/);
    await h.finish();
  });

  it('declares a Sev1 by hand and from a customer message, pauses while waiting on the customer, and counts a staff reply as the response', async () => {
    h = await start(SATURDAY_3AM);
    expect(await command(h, '/sev1', '', SHARED)).toMatch(/Say what is wrong.*Example: `\/sev1 /);
    expect(await command(h, '/sev1', 'S3 PUTs failing', NIMBUS_ALARMS)).toMatch(
      /Declared INC-1 \(Sev1\) for Nimbus/,
    );
    // Nimbus has no SLA: the declared incident has no clock.
    const declared = await command(h, '/sev1', 'S3 PUTs failing on pdx-obj-01', SHARED);
    expect(declared).toMatch(/Declared INC-2 \(Sev1\) for Vega AI; .*due Sat 5 Dec 03:30 PST/);
    await h.driver.settle();
    const vegaCard = h.slack
      .messages(ALARMS)
      .find((m) => m.ts === h?.bot.incidents.get(2)?.cardTs) as StoredMessage;
    h.claim(vegaCard);
    h.claim(
      h.slack.messages(NIMBUS_ALARMS).find((m) => m.ts === h?.bot.incidents.get(1)?.cardTs) as StoredMessage,
    );
    expect(content(vegaCard)).toMatch(/S3 PUTs failing on pdx-obj-01/);

    await h.advance('5m');
    await click(h, vegaCard, 'incident_sla_pause:waiting-on-customer', 2);
    await h.advance('1h'); // paused: nothing is due
    const updated = h.slack.messages(ALARMS).find((m) => m.ts === vegaCard.ts) as StoredMessage;
    expect(content(updated)).toMatch(
      /SLA clock paused since Sat 5 Dec 03:05 PST \(waiting-on-customer\); 25m of 30m left/,
    );
    expect(await command(h, '/sla', '', OPS)).toMatch(/INC-2\* Vega AI Sev1 — paused since/);
    await click(h, updated, 'incident_sla_resume', 2);
    await h.advance('10m'); // 15 counted minutes at 04:15 (the first reminder went out at 04:10)
    const reminder = h.channel(ALARMS).find(/SLA reminder/)[0] as StoredMessage;
    h.claim(reminder);
    await h.channel(dm(STAFF)).expectMessage(/INC-2/);
    // A staff reply in the thread is the first response.
    await h.driver.postMessage({
      channel: ALARMS,
      text: 'Looking at it now',
      user: SECONDARY,
      threadTs: vegaCard.ts,
    });
    await h.advance('1h');
    expect(h.channel(ALARMS).find(/SLA reminder|SLA breached/)).toHaveLength(1);
    const final = h.slack.messages(ALARMS).find((m) => m.ts === vegaCard.ts) as StoredMessage;
    expect(content(final)).toMatch(/SLA: first response after 15m \(target 30m\)/);

    // From a customer's message, with the shortcut.
    const ts = h.slack.mintTs();
    const shortcut = await h.driver.messageShortcut({
      user: STAFF,
      channel: SHARED,
      callbackId: 'declare_sev1',
      message: { ts, text: 'Our training jobs cannot read checkpoints', user: 'U0CUSTOMR1' },
    });
    expect(shortcut.status).toBe(200);
    await h.driver.settle();
    expect(h.bot.incidents.get(3)?.title).toBe('Our training jobs cannot read checkpoints');
    h.claim(h.slack.messages(ALARMS).find((m) => m.ts === h?.bot.incidents.get(3)?.cardTs) as StoredMessage);
    await h.finish();
  });

  it('answers bad input with what was wrong and an example', async () => {
    h = await start(SATURDAY_3AM);
    await vms(h, LINK_FLAP);
    await h.advance('1m');
    card(h);
    expect(await command(h, '/ack', 'INC-99', ALARMS)).toMatch(
      /There is no incident INC-99 of Vega AI.*Example: `\/ack INC-12`/,
    );
    expect(await command(h, '/ack', 'banana', ALARMS)).toMatch(/`banana` is not an incident id/);
    expect(await command(h, '/ack', 'INC-1', NIMBUS_ALARMS)).toMatch(/There is no incident INC-1 of Nimbus/);
    expect(await command(h, '/sla', 'report vega 2027-01')).toMatch(
      /2027-01 has not started yet in America\/Los_Angeles.*`\/sla report vega 2026-12`/,
    );
    expect(await command(h, '/sla', 'report vega 12/2026')).toMatch(
      /`12\/2026` is not a month: write it as YYYY-MM/,
    );
    expect(await command(h, '/sla', 'report nimbus', OPS)).toMatch(
      /This channel belongs to Vega AI: only its SLA report/,
    );
    expect(await command(h, '/sla', 'report vega', SHARED)).toMatch(/not in the customer’s shared channel/);
    expect(await command(h, '/sla', 'report nope', 'C0STAFFDM1')).toMatch(/There is no tenant `nope`/);
    expect(await command(h, '/sla', '', SHARED, 'U0CUSTOMR1')).toMatch(/is for the support team/);
    expect(await command(h, '/sev1', 'x', SHARED, 'U0CUSTOMR1')).toMatch(/is for the support team/);
    // Acknowledging through the command stops the clock like the button.
    expect(await command(h, '/ack', '', ALARMS)).toMatch(/You acknowledged INC-1/);
    expect(await command(h, '/ack', '', ALARMS)).toMatch(/Vega AI has no unacknowledged incident/);
    card(h);
    await h.finish();
  });

  it('lists the running clocks, with time left, in the shift handoff', async () => {
    // The on-call sandbox config, with Helix AI under the default contract (sla: {}).
    const file = join(tmpdir(), `opsbot-oncall-sla-${process.pid}.yaml`);
    const text = readFileSync('config/sandbox-oncall.yaml', 'utf8').replace(
      '      accountId: 001Dn00000HlxAIQAA\n',
      '      accountId: 001Dn00000HlxAIQAA\n    sla: {}\n',
    );
    expect(text).toContain('    sla: {}\n');
    writeFileSync(file, text);
    h = await Harness.start({ mode: 'http', configFile: file, clock: new FakeClock('2026-12-01T23:52:00Z') });
    await h.driver.postMessage({
      channel: 'C0HELXALRM',
      text: ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
      botId: VMS_BOT,
      username: 'VMS',
    });
    await h.advance('8m'); // 00:00 UTC: APJ takes over
    const handoff = await h.channel('C0ONCALL01').expectMessage(/Shift handoff/);
    expect(handoff.text).toMatch(/Running response clocks \(1\)/);
    expect(handoff.text).toMatch(/INC-1\* Helix AI Sev1 — 22m left \(due Wed 2 Dec 00:22 GMT\)/);
    for (const m of h.slack.messages().filter((m) => m.bot_id && m.channel !== 'C0ONCALL01')) h.claim(m);
    await h.finish();
  });

  it('lowers a Sev1 only with the customer’s agreement: without it the 30-minute target keeps running', async () => {
    h = await start(SATURDAY_3AM);
    await vms(h, DNODE_DOWN);
    await h.advance('1m');
    const lower = async (to: number, values: Record<string, Record<string, string | string[]>>) => {
      const result = await (h as Harness).driver.click({
        user: STAFF,
        channel: ALARMS,
        messageTs: card(h as Harness).ts,
        actionId: 'incident_severity',
        value: `1:${to}`,
      });
      expect(result.status).toBe(200);
      await (h as Harness).driver.settle();
      const submitted = await (h as Harness).driver.submitView({ user: STAFF, values });
      expect(submitted.status).toBe(200);
      await (h as Harness).driver.settle();
    };
    await lower(2, { reason: { reason_input: 'only one tenant bucket affected' } });
    expect(content(card(h))).toMatch(/SLA: Sev1 response due by Sat 5 Dec 03:30 PST \(30m target\)/);
    expect(h.bot.incidents.timeline(1).at(-1)?.text).toMatch(
      /Sev1 → Sev2 .*without the customer’s agreement/,
    );
    await lower(3, {
      reason: { reason_input: 'customer confirms a workaround' },
      agreement: { agreement_input: ['customer-agreed'] },
    });
    // Agreed: Sev3's target (8 business hours, Mon–Fri 09:00–17:00) from the clock's own start.
    expect(content(card(h))).toMatch(/SLA: Sev3 response due by Mon 7 Dec 17:00 PST \(8h target\)/);
    expect(h.bot.incidents.timeline(1).at(-1)?.text).toMatch(/Sev2 → Sev3 .*\(the customer agreed\)/);
    await h.advance('1h');
    expect(thread(h, /SLA reminder|SLA breached/)).toEqual([]);
    await h.finish();
  });
});

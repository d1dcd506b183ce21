// Salesforce cases and Jira/Orion escalations end to end: the real adapters talk to the
// stand-ins over HTTP; outages, restarts and re-deliveries must create no duplicates.
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../sandbox/slack-standin/types.js';
import { SalesforceCaseTracker } from '../../src/integrations/salesforce/adapter.js';
import { Harness } from './harness.js';

const STAFF = 'U0STAFF001';
const NIMBUS_ALARMS = 'C0NIMBALRM';
const NIMBUS_OPS = 'C0NIMBOPS1';
const HELIX_ALARMS = 'C0HELXALRM';
const VMS_BOT = 'B0VMSINTG1';
const DNODE_DOWN =
  ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding';
const LINK_DOWN =
  'VMS | MINOR | cluster=sjc-obj-01 | NIC_LINK_FLAP | cnode-3/eth1 | Link flapped on port eth1';

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

const start = () => Harness.start({ mode: 'http', integrations: true });
const vms = (harness: Harness, channel: string, text: string) =>
  harness.driver.postMessage({ channel, text, botId: VMS_BOT, username: 'VMS' });
const sf = (harness: Harness) => harness.driver.integrations!.salesforce;
const jira = (harness: Harness) => harness.driver.integrations!.jira;

function card(harness: Harness, channel: string, incidentId = 1): StoredMessage {
  const ts = harness.bot.incidents.get(incidentId)?.cardTs;
  const message = harness.slack.messages(channel).find((m) => m.ts === ts);
  if (!message) throw new Error(`INC-${incidentId} has no card`);
  harness.claim(message);
  return message;
}

const content = (m: StoredMessage) => `${m.text}\n${JSON.stringify(m.blocks ?? [])}`;

/** Thread replies are expected in these tests; claim them so finish() does not flag them. */
function threadReplies(harness: Harness, channel: string, pattern: RegExp): StoredMessage[] {
  const found = harness.slack
    .messages(channel)
    .filter((m) => m.thread_ts && m.thread_ts !== m.ts && pattern.test(m.text));
  for (const m of found) harness.claim(m);
  return found;
}

/** The ts of INC-n's card: the thread every per-incident reply goes to. */
function cardTs(harness: Harness, incidentId = 1): string {
  const ts = harness.bot.incidents.get(incidentId)?.cardTs;
  if (!ts) throw new Error(`INC-${incidentId} has no card`);
  return ts;
}

const CASE_OPENED = /^:file_folder: Salesforce case <[^|]+\|00001001> opened for INC-1\.$/;
const ESCALATED = /^:rocket: Escalated to engineering: <[^|]+\|ORION-1>\.$/;
const HELIX_CARD = /^Sev1 INC-1 Helix AI lon-obj-01: D-node dnode-3 is not responding/;
const NIMBUS_CARD = /^Sev3 INC-1 Nimbus GPU Cloud sjc-obj-01: Link flapped on port eth1/;

/** The case-opened and escalated replies a Sev1 produces on its own, in the card's thread. */
async function expectAutomaticCaseAndEscalation(harness: Harness): Promise<void> {
  const threadTs = cardTs(harness);
  await harness.channel(HELIX_ALARMS).expectMessage(CASE_OPENED, { threadTs });
  await harness.channel(HELIX_ALARMS).expectMessage(ESCALATED, { threadTs });
}

describe('Salesforce cases and Jira escalations', () => {
  it('opens a case and an ORION issue from the card buttons, and links both on the card', async () => {
    h = await start();
    await vms(h, NIMBUS_ALARMS, LINK_DOWN); // Sev3: no automatic case
    await h.advance('30s');
    const before = card(h, NIMBUS_ALARMS);
    expect(JSON.stringify(before.blocks)).toMatch(/incident_case/);
    expect(JSON.stringify(before.blocks)).toMatch(/incident_escalate/);

    await h.driver.click({
      user: STAFF,
      channel: NIMBUS_ALARMS,
      messageTs: before.ts,
      actionId: 'incident_case',
      value: '1',
    });
    await h.advance('1s');
    const cases = sf(h).cases();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      AccountId: '001Dn00000NmbUS',
      Origin: 'Slack',
      Priority: 'Medium',
      Status: 'New',
    });
    expect(cases[0]?.custom.Opsbot_Incident_Id__c).toBe('opsbot-1');
    expect(String(cases[0]?.Subject)).toMatch(/INC-1 Sev3/);
    expect(content(card(h, NIMBUS_ALARMS))).toMatch(/Case 00001001/);
    expect(threadReplies(h, NIMBUS_ALARMS, /Salesforce case .*00001001.* opened/)).toHaveLength(1);

    await h.driver.click({
      user: STAFF,
      channel: NIMBUS_ALARMS,
      messageTs: before.ts,
      actionId: 'incident_escalate',
      value: '1',
    });
    await h.advance('1s');
    const issues = jira(h).issues();
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.key).toBe('ORION-1');
    expect(issue.labels).toEqual(
      expect.arrayContaining([
        'opsbot',
        'opsbot-incident-1',
        'tenant-nimbus',
        'cluster-sjc-obj-01',
        'category-network',
      ]),
    );
    expect(JSON.stringify(issue.description)).toMatch(/00001001/);
    expect(jira(h).remoteLinks('ORION-1')).toHaveLength(1);
    expect(content(card(h, NIMBUS_ALARMS))).toMatch(/ORION-1/);
    // The escalation is mirrored on the customer's case.
    expect(
      sf(h)
        .comments()
        .map((c) => c.CommentBody)
        .join('\n'),
    ).toMatch(/Escalat/);
    await h.channel(NIMBUS_ALARMS).expectMessage(ESCALATED, { threadTs: cardTs(h) });
    await h.finish();
  });

  it('opens a case and escalates a Sev1 automatically, once, even when Slack re-delivers the alarm', async () => {
    h = await start();
    const posted = await vms(h, HELIX_ALARMS, DNODE_DOWN);
    const event = {
      type: 'message',
      subtype: 'bot_message',
      bot_id: VMS_BOT,
      channel: HELIX_ALARMS,
      text: DNODE_DOWN,
      ts: posted.ts,
      event_ts: posted.ts,
    };
    await h.driver.event(event, { eventId: posted.eventId, retryNum: 1 });
    await h.driver.event(event, { eventId: posted.eventId, retryNum: 2 });
    await h.advance('1m');
    expect(sf(h).cases()).toHaveLength(1);
    expect(jira(h).issues()).toHaveLength(1);
    expect(sf(h).cases()[0]?.Priority).toBe('Critical');
    expect(jira(h).issues()[0]?.priority).toBe('Highest');
    const shown = content(card(h, HELIX_ALARMS));
    expect(shown).toMatch(/Case 00001001/);
    expect(shown).toMatch(/ORION-1/);
    await expectAutomaticCaseAndEscalation(h);
    await h.finish();
  });

  it('survives 30 consecutive Salesforce 503s and a Jira outage: exactly one case and one issue after recovery', async () => {
    h = await start();
    sf(h).failNext(
      { method: 'PATCH', path: /sobjects\/Case\// },
      { status: 503, times: 30, body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }] },
    );
    jira(h).setDown(true);
    await vms(h, HELIX_ALARMS, DNODE_DOWN);
    // The breaker lets one probe through per pause (30 s doubling to 10 min): 30 failures take hours.
    for (let i = 0; i < 60 && sf(h).cases().length === 0; i++) await h.advance('10m');
    const upserts = sf(h).calls.filter((c) => c.method === 'PATCH' && /sobjects\/Case\/Opsbot/.test(c.path));
    expect(upserts.map((c) => c.status)).toEqual([...Array(30).fill(503), 201]);
    expect(sf(h).cases()).toHaveLength(1);
    expect(jira(h).issues()).toHaveLength(0); // Jira is still down: the escalation waits
    expect(h.bot.jobs.countByStatus().dead).toBe(0);
    jira(h).setDown(false);
    await h.advance('15m');
    expect(sf(h).cases()).toHaveLength(1);
    expect(jira(h).issues()).toHaveLength(1);
    expect(h.bot.jobs.countByStatus().dead).toBe(0);
    await h.channel(HELIX_ALARMS).expectMessage(HELIX_CARD);
    // Four hours of outage with nobody acknowledging: the Sev1 reminder goes to the on-call.
    await h
      .channel(HELIX_ALARMS)
      .expectMessage(/^<@U0STAFF002> INC-1 \(Sev1\) is still firing and nobody has acknowledged it/, {
        threadTs: cardTs(h),
      });
    await expectAutomaticCaseAndEscalation(h);
    await h.finish();
  });

  it('finds the case and issue a crashed run created instead of opening duplicates', async () => {
    h = await start();
    // A previous process created both remotely, then died before recording them.
    const adapter = new SalesforceCaseTracker({
      auth: {
        flow: 'client_credentials',
        clientId: 'sandbox-connected-app',
        clientSecret: 'sandbox-client-secret',
      },
      loginUrl: sf(h).url,
      apiVersion: '62.0',
      externalIdField: 'Opsbot_Incident_Id__c',
      timeoutMs: 5000,
      now: () => h!.clock.now(),
    });
    await adapter.upsertCase('opsbot-1', {
      subject: 'from the crashed run',
      description: '-',
      priority: 'Critical',
      status: 'New',
      origin: 'Slack',
      accountId: '001Dn00000HlxAIQAA',
    });
    await vms(h, HELIX_ALARMS, DNODE_DOWN);
    await h.advance('1m');
    expect(sf(h).cases()).toHaveLength(1);
    expect(threadReplies(h, HELIX_ALARMS, /Salesforce case .* linked/)).toHaveLength(1);
    expect(jira(h).issues()).toHaveLength(1);
    await h.channel(HELIX_ALARMS).expectMessage(HELIX_CARD);
    await h.channel(HELIX_ALARMS).expectMessage(ESCALATED, { threadTs: cardTs(h) });
    await h.finish();
  });

  it('parks a validation error, says what to fix in the thread and the ops channel, and retries on request', async () => {
    h = await start();
    await vms(h, NIMBUS_ALARMS, LINK_DOWN);
    await h.advance('30s');
    sf(h).failNext(
      { method: 'PATCH', path: /sobjects\/Case\// },
      {
        status: 400,
        body: [
          {
            errorCode: 'INVALID_CROSS_REFERENCE_KEY',
            message: 'invalid cross reference id',
            fields: ['AccountId'],
          },
        ],
      },
    );
    expect(await h.opsbot('case INC-1', { user: STAFF, channel: NIMBUS_OPS })).toMatch(
      /Opening a Salesforce case for INC-1/,
    );
    await h.advance('1s');
    const alerts = h.slack
      .messages(NIMBUS_OPS)
      .filter((m) => /could not open the Salesforce case/.test(m.text));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.text).toMatch(/tenants\.nimbus\.salesforce\.accountId/);
    expect(threadReplies(h, NIMBUS_ALARMS, /tenants\.nimbus\.salesforce\.accountId/)).toHaveLength(1);
    const outbox = await h.opsbot('outbox', { user: STAFF, channel: NIMBUS_OPS });
    const id = /`(\d+)` salesforce\.case/.exec(outbox)?.[1];
    expect(id, outbox).toBeDefined();
    expect(await h.opsbot(`outbox retry ${id}`, { user: STAFF, channel: NIMBUS_OPS })).toMatch(
      /queued again/,
    );
    await h.advance('1s');
    expect(sf(h).cases()).toHaveLength(1);
    await h.channel(NIMBUS_ALARMS).expectMessage(NIMBUS_CARD);
    await h
      .channel(NIMBUS_OPS)
      .expectMessage(/^:warning: I could not open the Salesforce case for INC-1 \(it was refused\)/);
    await h.channel(NIMBUS_ALARMS).expectMessage(CASE_OPENED, { threadTs: cardTs(h) });
    await h.finish();
  });

  it('brings back status changes people make in Jira (webhook and poll) and in Salesforce (poll)', async () => {
    h = await start();
    await vms(h, HELIX_ALARMS, DNODE_DOWN);
    await h.advance('1m');
    const body = jira(h).humanTransition('ORION-1', 'In Progress', 'Dana Engineer');
    const secret = 'sandbox-jira-webhook-secret-123';
    const unsigned = await fetch(`${h.driver.baseUrl}/webhooks/jira`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    const delivered = await fetch(`${h.driver.baseUrl}/webhooks/jira?secret=${secret}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    expect(delivered.status).toBe(200);
    await h.driver.settle();
    expect(threadReplies(h, HELIX_ALARMS, /ORION-1 is now \*In Progress\*/)).toHaveLength(1);

    jira(h).humanTransition('ORION-1', 'Done');
    const caseId = sf(h).cases()[0]?.Id as string;
    sf(h).humanUpdate(caseId, { Status: 'Working', OwnerName: 'Sam Support' });
    await h.advance('6m');
    expect(threadReplies(h, HELIX_ALARMS, /ORION-1 is now \*Done\*/)).toHaveLength(1);
    expect(threadReplies(h, HELIX_ALARMS, /status New → Working/)).toHaveLength(1);
    await h.channel(HELIX_ALARMS).expectMessage(HELIX_CARD);
    await expectAutomaticCaseAndEscalation(h);
    await h.finish();
  });

  it('comments on and closes the case when the incident is resolved', async () => {
    h = await start();
    await vms(h, HELIX_ALARMS, DNODE_DOWN);
    await h.advance('1m');
    const c = card(h, HELIX_ALARMS);
    await h.driver.click({
      user: STAFF,
      channel: HELIX_ALARMS,
      messageTs: c.ts,
      actionId: 'incident_ack',
      value: '1',
    });
    await h.driver.click({
      user: STAFF,
      channel: HELIX_ALARMS,
      messageTs: c.ts,
      actionId: 'incident_resolve',
      value: '1',
    });
    await h.advance('1s');
    const comments = sf(h)
      .comments()
      .map((x) => x.CommentBody);
    expect(comments.join('\n')).toMatch(/Acknowledged by/);
    expect(comments.join('\n')).toMatch(/Resolved by/);
    expect(sf(h).cases()[0]?.Status).toBe('Closed');
    await expectAutomaticCaseAndEscalation(h);
    await h.finish();
  });

  it('mirrors a thread message to Jira with the Send to Jira shortcut; injection text stays text', async () => {
    h = await start();
    await vms(h, HELIX_ALARMS, DNODE_DOWN);
    await h.advance('1m');
    const c = card(h, HELIX_ALARMS);
    const reply = await h.driver.postMessage({
      channel: HELIX_ALARMS,
      user: STAFF,
      text: `NVRAM swapped. ORION" OR project != "X' OR Name LIKE '%`,
      threadTs: c.ts,
    });
    await h.driver.messageShortcut({
      user: STAFF,
      channel: HELIX_ALARMS,
      callbackId: 'send_to_jira',
      message: {
        ts: reply.ts,
        thread_ts: c.ts,
        user: STAFF,
        text: `NVRAM swapped. ORION" OR project != "X' OR Name LIKE '%`,
      },
    });
    await h.advance('1s');
    const comments = jira(h).comments('ORION-1');
    expect(JSON.stringify(comments)).toContain('NVRAM swapped. ORION\\" OR project != \\"X');
    // Only opsbot's own label lookups ever reached Jira's search.
    const searches = jira(h).calls.filter((x) => /search/.test(x.path));
    for (const s of searches) expect(JSON.stringify(s)).not.toMatch(/project != /);
    await expectAutomaticCaseAndEscalation(h);
    await h.finish();
  });
});

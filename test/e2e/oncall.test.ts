// On-call end to end with a fake clock (config/sandbox-oncall.yaml: APJ → EMEA → US on
// weekdays, a weekend crew, two user groups): handoffs posted at the boundary instant, the
// incoming engineer's DM, user groups following the schedule, an override in effect everywhere
// (handoff, user group, /oncall, the incident card), a restart across a boundary producing
// exactly one late handoff, the weekend handoff and a swap request taken with the button.
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../sandbox/slack-standin/types.js';
import { Harness } from './harness.js';

const CONFIG = 'config/sandbox-oncall.yaml';
const ONCALL = 'C0ONCALL01';
const NIMBUS_ALARMS = 'C0NIMBALRM';
const ALL = 'S0ONCALL01';
const EMEA = 'S0ONCEMEA1';
const MANAGER = 'U0ONCMGR01';
const dm = (user: string) => `D${user.slice(1)}`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

async function start(at: string): Promise<Harness> {
  const { FakeClock } = await import('../../sandbox/fake-clock.js');
  return Harness.start({ mode: 'http', configFile: CONFIG, clock: new FakeClock(at) });
}

async function oncall(harness: Harness, text: string, as = MANAGER, command = '/oncall'): Promise<string> {
  const result = await harness.driver.slashCommand({ user: as, channel: ONCALL, text, command });
  expect(result.status).toBe(200);
  return String(result.body?.text ?? '');
}

const members = (harness: Harness, group: string) =>
  [...(harness.slack.usergroupMembers(group) ?? [])].sort();
const updatesOf = (harness: Harness, group: string) =>
  harness.slack.callsTo('usergroups.users.update').filter((c) => c.args.usergroup === group);
const postedAt = (harness: Harness, message: StoredMessage) =>
  harness.slack.callsTo('chat.postMessage').find((c) => c.args.text === message.text)?.at;

describe('on-call', () => {
  it('posts the handoff at the boundary, DMs the incoming engineer first and moves the user groups', async () => {
    h = await start('2026-12-01T23:30:00Z'); // Tuesday 15:30 in Los Angeles: US on call
    expect(members(h, ALL)).toEqual([MANAGER, 'U0STAFF001']);
    expect(members(h, EMEA)).toEqual(['U0EMEAEN01']); // EMEA's latest person while EMEA is off

    await h.advance('15m');
    const heads = await h.channel(dm('U0APJENG01')).expectMessage(/You are primary on call/);
    expect(heads.text).toMatch(/Asia\/Singapore/);

    await h.advance('15m'); // 00:00 UTC = 08:00 Singapore
    const post = await h.channel(ONCALL).expectMessage(/Shift handoff/);
    expect(post.text).toMatch(/<@U0STAFF001> → <@U0APJENG01>/);
    expect(post.text).not.toMatch(/late/);
    expect(postedAt(h, post)).toBe(Date.parse('2026-12-02T00:00:00Z'));
    expect(members(h, ALL)).toEqual(['U0APJENG01', MANAGER]);
    // EMEA's members did not change: compared first, no update call.
    expect(updatesOf(h, EMEA)).toHaveLength(1);

    const now = await oncall(h, '');
    expect(now).toMatch(/primary: now <@U0APJENG01>/);
    expect(now).toMatch(/Times in Europe\/London|Times in UTC|Times in Asia\/Singapore|Times in America/);
    await h.finish();
  });

  it('puts an override in effect everywhere at once and DMs both people whose shifts changed', async () => {
    h = await start('2026-12-02T01:00:00Z'); // APJ on call: U0APJENG01 until 08:00 UTC
    const reply = await oncall(h, 'override <@U0APJENG02|eng> now +2h');
    expect(reply).toMatch(/OV-1/);
    const lost = await h.channel(dm('U0APJENG01')).expectMessage(/shifts for vaas changed/);
    expect(lost.text).toMatch(
      /times in Asia\/Singapore\)\nNo longer on call:\n• primary 2026-12-02 09:00–11:00$/,
    );
    const gained = await h.channel(dm('U0APJENG02')).expectMessage(/shifts for vaas changed/);
    expect(gained.text).toMatch(/Now on call:\n• primary 2026-12-02 09:00–11:00$/);
    expect(await oncall(h, '')).toMatch(/primary: now <@U0APJENG02>.*\(override\)/);
    expect(members(h, ALL)).toEqual(['U0APJENG02', MANAGER]);

    // A card raised now pages the override.
    await h.driver.postMessage({
      channel: NIMBUS_ALARMS,
      text: ':red_circle: [CRITICAL] sjc-obj-01 (San Jose) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
      botId: 'B0VMSINTG1',
      username: 'VMS',
    });
    await h.advance('30s');
    const card = await h.channel(NIMBUS_ALARMS).expectMessage(/Sev1/);
    expect(JSON.stringify(card.blocks) + card.text).toMatch(/U0APJENG02/);

    // At its end the override hands back, like any boundary.
    await h.advance('2h');
    await h.channel(dm('U0APJENG01')).expectMessage(/You are primary on call .* in 15m/);
    const back = await h.channel(ONCALL).expectMessage(/Shift handoff/);
    expect(back.text).toMatch(/<@U0APJENG02> → <@U0APJENG01>/);
    expect(members(h, ALL)).toEqual(['U0APJENG01', MANAGER]);
    const overrides = await oncall(h, 'overrides');
    expect(overrides).toMatch(/No overrides/);
    const load = await oncall(h, 'load 1d');
    expect(load).toMatch(/<@U0APJENG02>: 2h on call.*1 page/);
    await h.finish();
  });

  it('posts a boundary missed during a restart exactly once, marked late', async () => {
    h = await start('2026-12-02T07:50:00Z'); // EMEA takes over at 08:00 UTC
    await h.channel(dm('U0EMEAEN01')).expectMessage(/You are primary on call/); // due 07:45: now
    await h.driver.restart(() => h?.clock.setTime('2026-12-02T08:20:00Z'));
    const late = await h.channel(ONCALL).expectMessage(/Shift handoff/);
    expect(late.text).toMatch(/<@U0APJENG01> → <@U0EMEAEN01>/);
    expect(late.text).toMatch(/late: posted 20m/);
    await h.driver.restart();
    await h.advance('1m');
    expect(h.channel(ONCALL).find(/Shift handoff/)).toHaveLength(1);
    await h.finish();
  });

  it('posts the weekend handoff on Friday afternoon and lets a teammate take a requested shift', async () => {
    h = await start('2026-12-04T23:30:00Z'); // Friday 15:30 in Los Angeles
    await oncall(h, 'plan "Sun 09:00 PT switch replacement in San Jose"', 'U0STAFF001', '/handoff');
    await h.advance('30m');
    const weekend = await h.channel(ONCALL).expectMessage(/Weekend handoff/);
    expect(weekend.text).toMatch(/firmware upgrade on sjc-obj-01/);
    expect(weekend.text).toMatch(/switch replacement in San Jose/);
    expect(weekend.text).toMatch(/Weekend roster[\s\S]*<@U0EMEAEN02>/);
    expect(weekend.text).toMatch(/\+1 555 0100/);
    expect(weekend.text).toMatch(/On-call load this week/);

    await h.advance('45m');
    await h.channel(dm('U0EMEAEN02')).expectMessage(/You are primary on call/);
    await h.advance('15m'); // Friday 17:00 Los Angeles: the weekend crew
    const handoff = await h.channel(ONCALL).expectMessage(/Shift handoff/);
    expect(handoff.text).toMatch(/<@U0STAFF001> → <@U0EMEAEN02>/);

    const asked = await oncall(h, 'swap-request now "family event"', 'U0EMEAEN02');
    expect(asked).toMatch(/SR-1/);
    const request = await h.channel(ONCALL).expectMessage(/asks who can take/);
    await h.driver.click({
      user: 'U0APJENG02',
      channel: ONCALL,
      messageTs: request.ts,
      actionId: 'oncall_take_swap',
      value: '1',
    });
    await h.channel(ONCALL).expectMessage(/<@U0APJENG02> took <@U0EMEAEN02>/);
    await h.channel(dm('U0EMEAEN02')).expectMessage(/No longer on call/);
    expect(members(h, ALL)).toEqual(['U0APJENG02', MANAGER]);
    await h.finish();
  });

  it('adds the week’s on-call load to the Monday weekly digest', async () => {
    h = await start('2026-12-07T07:59:00Z'); // Monday, a minute before 08:00 in London
    await h.channel(dm('U0EMEAEN02')).expectMessage(/You are primary on call/);
    await h.advance('1m');
    await h.channel(ONCALL).expectMessage(/Shift handoff/);
    const digest = await h.channel('C0HELXOPS1').expectMessage(/Weekly digest for Helix AI/);
    expect(digest.text).toMatch(
      /On-call load \(vaas\)[\s\S]*<@U0EMEAEN02>: 47h on call \(47h outside working hours, 47h weekend\)/,
    );
    await h.finish();
  });

  it('refuses bad input with an example and serves calendar feeds only with their token', async () => {
    h = await start('2026-12-02T01:00:00Z');
    expect(await oncall(h, 'override <@U0APJENG02> tomorrowish +2h')).toMatch(
      /could not read the times.*Example/,
    );
    expect(await oncall(h, 'override <@U0APJENG02> 2026-12-01T08:00 2026-12-01T09:00')).toMatch(
      /already over/,
    );
    expect(await oncall(h, 'override nobody now +2h')).toMatch(/Say who/);
    expect(await oncall(h, 'override <@U0NOBODY99> now +2h')).toMatch(/don’t know `U0NOBODY99`.*Example/);
    expect(await oncall(h, 'override <@U0APJENG02> 18:00 17:00')).toMatch(/end is before the start/);
    expect(await oncall(h, 'load forever')).toMatch(/period.*Example/);
    expect(await oncall(h, 'cancel OV-77')).toMatch(/no override OV-77/);
    expect(await oncall(h, 'nosuchteam')).toMatch(/don't know the team/);
    expect(await oncall(h, '', 'U0CUSTOMR1')).toMatch(/Only the vendor/);
    const feed = (await oncall(h, 'feed vaas')).match(/`([^`]+)`/)?.[1] ?? '';
    expect(feed).toMatch(/^\/oncall\/vaas\.ics\?token=/);
    const ok = await fetch(`${h.driver.baseUrl}${feed}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/BEGIN:VCALENDAR[\s\S]*U0APJENG01/);
    const wrong = await fetch(`${h.driver.baseUrl}/oncall/vaas.ics?token=guess`);
    expect(wrong.status).toBe(404);
    // Overrides are in the feeds too.
    expect(await oncall(h, 'override <@U0APJENG02> now +2h')).toMatch(/OV-1/);
    await h.channel(dm('U0APJENG01')).expectMessage(/shifts for vaas changed/);
    await h.channel(dm('U0APJENG02')).expectMessage(/shifts for vaas changed/);
    expect(await (await fetch(`${h.driver.baseUrl}${feed}`)).text()).toMatch(/U0APJENG02 \(override\)/);
    const mine = (await oncall(h, 'feed me', 'U0APJENG01')).match(/`([^`]+)`/)?.[1] ?? '';
    expect((await fetch(`${h.driver.baseUrl}${mine.replace('U0APJENG01', 'U0APJENG02')}`)).status).toBe(404);
    expect((await fetch(`${h.driver.baseUrl}${mine}`)).status).toBe(200);
    await h.finish();
  });
});

// The on-call services over real SQLite: every surface (responders for cards and reminders,
// user groups, handoff posts) agrees with the engine's onCallAt at random instants with random
// overrides; user-group syncs compare first, never empty a group and name unusable people.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import type { OpsbotConfig } from '../../../src/config/schema.js';
import { plainText } from '../../../src/domain/message.js';
import { onCallAt } from '../../../src/domain/oncall/index.js';
import { RetryableError } from '../../../src/jobs/errors.js';
import { ScheduleService } from '../../../src/services/oncall/schedule.js';
import { USERGROUP_JOB, UserGroupSync } from '../../../src/services/oncall/user-groups.js';
import type { PeopleProfiles, PersonProfile, UserGroupWriter } from '../../../src/services/ports.js';
import { contactResponders } from '../../../src/services/responders.js';
import { OncallStore } from '../../../src/store/oncall-store.js';
import { type ServiceWorld, serviceWorld } from '../../helpers/services.js';

const USERS = ['U0APJENG01', 'U0APJENG02', 'U0EMEAEN01', 'U0EMEAEN02', 'U0STAFF001', 'U0STAFF002'];
const DEC_2026 = { from: Date.parse('2026-12-01T00:00:00Z'), to: Date.parse('2027-01-01T00:00:00Z') };
const HOUR = 3_600_000;

function oncallConfig(): OpsbotConfig {
  const loaded = loadConfigFile('config/sandbox-oncall.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.config;
}

class FakeGroups implements UserGroupWriter, PeopleProfiles {
  readonly members = new Map<string, string[]>();
  readonly updates: Array<{ id: string; users: string[] }> = [];
  readonly unusable = new Set<string>();
  failNext: Error | undefined;

  async membersOf(id: string): Promise<string[]> {
    return this.members.get(id) ?? [];
  }

  async setMembers(id: string, users: string[]): Promise<void> {
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    this.updates.push({ id, users });
    this.members.set(id, users);
  }

  async profile(userId: string): Promise<PersonProfile> {
    return { zone: 'UTC', usable: !this.unusable.has(userId) };
  }
}

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function setup(config = oncallConfig()) {
  world = serviceWorld(config);
  const w = world;
  const oncall = config.oncall;
  if (!oncall) throw new Error('no oncall section');
  const store = new OncallStore(w.db);
  const schedule = new ScheduleService({
    schedule: oncall,
    store,
    tenants: w.tenants,
    fallback: contactResponders(w.tenants),
  });
  const fake = new FakeGroups();
  const groups = new UserGroupSync({
    schedule,
    scheduler: w.scheduler,
    groups: fake,
    people: fake,
    chat: w.chat,
  });
  for (const job of groups.jobs()) w.scheduler.define(job);
  return { w, oncall, store, schedule, fake, groups };
}

describe('on-call surfaces agree with the engine', () => {
  it('responders, user groups and handoff posts name whoever onCallAt names, with random overrides', () => {
    const { oncall, store, schedule, groups } = setup();
    const responders = schedule.responders();
    const override = fc.record({
      userId: fc.constantFrom(...USERS),
      from: fc.integer({ min: DEC_2026.from, max: DEC_2026.to }),
      length: fc.integer({ min: HOUR, max: 3 * 24 * HOUR }),
      replaces: fc.option(fc.constantFrom(...USERS), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.array(override, { maxLength: 3 }),
        fc.integer({ min: DEC_2026.from, max: DEC_2026.to }),
        fc.constantFrom('nimbus', 'helix-ai'),
        (made, t, tenantId) => {
          for (const o of store.liveOverrides()) store.cancelOverride(o.n, 'test', 0);
          for (const o of made)
            store.addOverride(
              {
                team: 'vaas',
                level: 'primary',
                userId: o.userId,
                from: o.from,
                to: o.from + o.length,
                replaces: o.replaces,
                kind: 'override',
                createdBy: 'test',
              },
              0,
            );
          schedule.changed();
          const overrides = store.liveOverrides();
          const engine = onCallAt(oncall, overrides, 'vaas', 'primary', t, { tenantId })?.userId;
          expect(responders.responderFor(tenantId, 'primary', t)).toBe(engine);
          expect(responders.chain(tenantId, t)[0]?.userId).toBe(engine);
          const teamWide = onCallAt(oncall, overrides, 'vaas', 'primary', t)?.userId;
          const group = oncall.userGroups.find((g) => g.id === 'S0ONCALL01');
          if (!group) throw new Error('no group');
          expect(groups.desired(group, t).sort()).toEqual([teamWide, 'U0ONCMGR01'].sort());
          for (const h of schedule.handoffs(t, t + 24 * HOUR)) {
            const change = h.changes.find((c) => c.level === 'primary');
            if (!change) continue;
            expect(change.to).toBe(onCallAt(oncall, overrides, 'vaas', 'primary', h.at)?.userId);
            expect(change.from).toBe(onCallAt(oncall, overrides, 'vaas', 'primary', h.at - 1)?.userId);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('user-group sync', () => {
  it('compares with the current members first and only updates on a change', async () => {
    const { w, fake, groups } = setup();
    w.clock.setTime('2026-12-02T01:00:00Z'); // APJ: U0APJENG01
    groups.enqueueAll('first');
    await w.drain();
    expect(fake.members.get('S0ONCALL01')?.sort()).toEqual(['U0APJENG01', 'U0ONCMGR01']);
    const before = fake.updates.length;
    groups.enqueueAll('second');
    await w.drain();
    expect(fake.updates.length).toBe(before);
  });

  it('never empties a group: it warns in the ops channel and leaves the members', async () => {
    const { w, fake, groups } = setup();
    w.clock.setTime('2026-12-02T09:00:00Z'); // EMEA: U0EMEAEN01
    fake.members.set('S0ONCEMEA1', ['U0EMEAEN02']);
    fake.unusable.add('U0EMEAEN01');
    groups.enqueueAll('now');
    await w.drain();
    expect(fake.members.get('S0ONCEMEA1')).toEqual(['U0EMEAEN02']);
    const said = w.chat.posts.map((p) => plainText(p.message));
    expect(said.some((t) => /@vaas-oncall-emea would be empty/.test(t))).toBe(true);
    expect(said.some((t) => /U0EMEAEN01.*cannot be a member/.test(t))).toBe(true);
    expect(w.chat.posts.every((p) => p.target.channel === 'C0ONCALL01')).toBe(true);
  });

  it('retries a rate-limited update as a job', async () => {
    const { w, fake, groups } = setup();
    w.clock.setTime('2026-12-02T01:00:00Z');
    fake.members.set('S0ONCEMEA1', ['U0EMEAEN01']); // already right: only the other group updates
    fake.failNext = new RetryableError('Slack rate-limited usergroups.users.update', {
      retryAfterMs: 30_000,
      rateLimited: true,
    });
    groups.enqueueAll('limited');
    await w.drain();
    expect(fake.members.get('S0ONCALL01')).toBeUndefined();
    const job = w.jobsOf(USERGROUP_JOB).find((j) => j.key === 'oncall-ug:S0ONCALL01:limited');
    expect(job?.status).toBe('pending');
    w.clock.advance('30s');
    await w.drain();
    expect(fake.members.get('S0ONCALL01')?.sort()).toEqual(['U0APJENG01', 'U0ONCMGR01']);
  });
});

describe('coverage gaps', () => {
  it('logs and posts the gaps of the next 14 days once a day, naming team, level and both zones', async () => {
    const config = oncallConfig();
    const oncall = config.oncall;
    if (!oncall) throw new Error('no oncall section');
    // A US shift ending at 15:00 in Los Angeles leaves an hour before APJ's 08:00 in Singapore.
    const gappy = {
      ...oncall,
      regions: oncall.regions.map((r) =>
        r.name === 'US' ? { ...r, shift: { ...r.shift, end: '15:00' } } : r,
      ),
    };
    const { CoverageWarnings } = await import('../../../src/services/oncall/gaps.js');
    const w = setup().w;
    const log = (await import('../../helpers/logger.js')).memoryLogger('warn');
    const warnings = new CoverageWarnings({ schedule: gappy, chat: w.chat, logger: log.logger });
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(warnings.warn(now).gaps).toBeGreaterThan(0);
    warnings.warn(now + 3_600_000);
    expect(w.chat.posts).toHaveLength(1);
    const text = plainText(w.chat.posts[0]?.message ?? []);
    expect(text).toMatch(/coverage gaps for vaas/);
    expect(text).toMatch(
      /no primary on call 2026-12-02 23:00 – 2026-12-03 00:00 UTC = 2026-12-02 15:00–16:00 America\/Los_Angeles \(US\)/,
    );
    expect(log.lines.some((l) => l.includes('no primary on call 2026-12-02 23:00'))).toBe(true);
  });
});

describe('handoff jobs across DST', () => {
  async function handoffsWorld() {
    const s = setup();
    const { HandoffMessages } = await import('../../../src/services/oncall/handoff-message.js');
    const { Handoffs, HANDOFF_JOB } = await import('../../../src/services/oncall/handoffs.js');
    const { LoadService } = await import('../../../src/services/oncall/load.js');
    const { Sections } = await import('../../../src/services/sections.js');
    const messages = new HandoffMessages({
      schedule: s.schedule,
      incidents: s.w.incidents,
      links: s.w.links,
      jobs: s.w.jobs,
      tenants: s.w.tenants,
      sections: new Sections(),
    });
    const handoffs = new Handoffs({
      schedule: s.schedule,
      store: s.store,
      messages,
      scheduler: s.w.scheduler,
      chat: s.w.chat,
      people: s.fake,
      watermarks: s.w.watermarks,
      groups: s.groups,
      load: new LoadService(s.schedule, s.store),
      incidents: s.w.incidents,
      tx: s.w.tx,
      clock: s.w.clock,
      logger: s.w.logger,
    });
    for (const job of handoffs.jobs()) s.w.scheduler.define(job);
    const runAts = () =>
      s.w
        .jobsOf(HANDOFF_JOB)
        .map((j) => new Date(j.runAt).toISOString())
        .sort();
    return { ...s, handoffs, runAts };
  }

  it('queues each boundary at its own instant once Europe springs forward, two weeks after Los Angeles', async () => {
    const { w, handoffs, runAts } = await handoffsWorld();
    w.clock.setTime('2027-03-28T12:00:00Z'); // Sunday: London is on BST since 01:00 UTC
    handoffs.ensure(w.clock.now());
    expect(runAts()).toEqual([
      // No boundary at Monday 00:00 UTC: the weekend engineer (U0APJENG02) is also APJ's this week.
      '2027-03-29T07:00:00.000Z', // APJ → EMEA, 08:00 BST (an hour earlier than last week)
      '2027-03-29T15:00:00.000Z', // EMEA → US, 08:00 PDT (since 14 March)
      '2027-03-30T00:00:00.000Z',
      '2027-03-30T07:00:00.000Z',
    ]);
  });

  it('after the autumn change in London, EMEA takes over at 08:00 UTC again; 1 ms before, nothing is due', async () => {
    const { w, handoffs, runAts } = await handoffsWorld();
    w.clock.setTime('2027-10-31T12:00:00Z'); // Sunday: London back on GMT since 01:00 UTC
    handoffs.ensure(w.clock.now());
    expect(runAts()).toContain('2027-11-01T08:00:00.000Z');
    expect(runAts()).toContain('2027-11-01T15:00:00.000Z'); // Los Angeles still on PDT until 7 November
    w.clock.setTime('2027-11-01T07:59:59.999Z');
    expect(w.jobs.dueJobs(w.clock.now(), 10).filter((j) => j.kind === 'oncall.handoff')).toHaveLength(1); // APJ's, at 00:00
    w.clock.setTime('2027-11-01T08:00:00.000Z');
    expect(w.jobs.dueJobs(w.clock.now(), 10).filter((j) => j.kind === 'oncall.handoff')).toHaveLength(2);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { RetentionSchema } from '../../../src/config/retention-schema.js';
import { RetentionService } from '../../../src/services/retention.js';
import { OutreachStore } from '../../../src/store/outreach-store.js';
import { RetentionStore } from '../../../src/store/retention-store.js';
import { SlaStore } from '../../../src/store/sla-store.js';
import { alarmInput, intakeFor, type ServiceWorld, serviceWorld } from '../../helpers/services.js';

const worlds: ServiceWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

function setup(overrides: Record<string, unknown> = {}) {
  const world = serviceWorld();
  worlds.push(world);
  const intake = intakeFor(world);
  const config = RetentionSchema.parse(overrides);
  const retention = new RetentionService({
    store: new RetentionStore(world.db),
    tx: world.tx,
    clock: world.clock,
    logger: world.logger,
    config,
    walBytes: () => 0,
  });
  const count = (table: string) =>
    (world.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const fire = (key: string, componentId: string, status: 'firing' | 'resolved' = 'firing') =>
    intake.ingest(
      alarmInput(world, {
        dedupeKey: key,
        name: 'DNODE_DOWN',
        summary: `${componentId} down`,
        componentId,
        status,
      }),
    );
  const resolve = (incidentId: number) =>
    world.incidents.update(incidentId, {
      status: 'resolved',
      resolvedAt: world.clock.now(),
      resolvedBy: 'U0STAFF001',
    });
  return { world, intake, retention, count, fire, resolve };
}

const idOf = (outcome: unknown) => (outcome as { incidentId: number }).incidentId;

describe('retention (real SQLite, fake clock)', () => {
  it('drops raw alarm payloads after 30 days and keeps incidents and timelines at least 400 days', async () => {
    const { world, retention, count, fire, resolve } = setup();
    const old = idOf(fire('am-old-1', 'dnode-1'));
    fire('am-old-2', 'dnode-1', 'resolved');
    resolve(old);
    const oldTimeline = world.incidents.timeline(old).length;
    expect(oldTimeline).toBeGreaterThan(0);

    world.clock.advance('31d');
    const fresh = idOf(fire('am-new-1', 'dnode-2', 'firing'));
    expect(fresh).not.toBe(old);
    expect(count('raw_alarms')).toBe(3);

    const first = await retention.prune();
    expect(first.deleted['raw alarms']).toBe(2);
    expect(first.failed).toEqual({});
    // Only the fresh payload and its occurrence remain; the old incident is evidence, still whole.
    expect(count('raw_alarms')).toBe(1);
    expect(count('alarm_events')).toBe(1);
    expect(world.incidents.get(old)?.status).toBe('resolved');
    expect(world.incidents.timeline(old)).toHaveLength(oldTimeline);
    expect(world.incidents.members(old)).toHaveLength(1);

    // 399 days after it resolved: still kept.
    world.clock.advance('368d');
    await retention.prune();
    expect(world.incidents.get(old)).toBeDefined();

    // Past 400 days: the resolved incident goes with its members and timeline; the open one stays
    // (its raw payload went with the rest after 30 days).
    world.clock.advance('2d');
    const last = await retention.prune();
    expect(last.deleted.incidents).toBe(1);
    expect(world.incidents.get(old)).toBeUndefined();
    expect(world.incidents.members(old)).toHaveLength(0);
    expect(world.incidents.timeline(old)).toHaveLength(0);
    expect(world.incidents.get(fresh)?.status).toBe('open');
    expect(world.incidents.timeline(fresh).length).toBeGreaterThan(0);
    expect(count('raw_alarms')).toBe(0);

    const stats = retention.stats();
    expect(stats.incidents).toBe(1);
    expect(stats.oldestIncidentAt).toBe(world.incidents.get(fresh)?.openedAt);
    expect(stats.oldestRawAlarmAt).toBeUndefined();
    expect(stats.bytes).toBeGreaterThan(0);
  });

  it('prunes in small batches and lets intake store alarms between them', async () => {
    const { world, intake, retention, count, fire } = setup({ batchSize: 10 });
    for (let i = 0; i < 45; i++) fire(`am-${i}`, `dnode-${i}`);
    world.clock.advance('31d');

    const order: string[] = [];
    const pruning = retention.prune().then((r) => {
      order.push('prune done');
      return r;
    });
    // An alarm arriving while the prune runs is committed before the prune has finished.
    const stored = intake
      .ingestDurably([
        alarmInput(world, {
          dedupeKey: 'am-during',
          name: 'DNODE_DOWN',
          summary: 'x',
          componentId: 'dnode-99',
        }),
      ])
      .then(() => order.push('alarm stored'));
    const report = await pruning;
    await stored;
    expect(order).toEqual(['alarm stored', 'prune done']);
    expect(report.deleted['raw alarms']).toBe(45);
    expect(report.batches).toBeGreaterThanOrEqual(5);
    expect(count('raw_alarms')).toBe(1);
    expect(world.db.prepare('SELECT dedupe_key AS k FROM raw_alarms').get()).toEqual({ k: 'am-during' });
  });

  it('keeps idempotency for what it keeps: a re-delivery within 30 days is still a duplicate', async () => {
    const { world, retention, fire } = setup();
    fire('am-1', 'dnode-1');
    world.clock.advance('29d');
    await retention.prune();
    expect(fire('am-1', 'dnode-1')).toEqual({ result: 'duplicate' });
  });

  it('runs prunables other capabilities register under their own retention class', async () => {
    const { world, retention } = setup({ breachEvidence: 500 });
    const cutoffs: number[] = [];
    retention.register({
      name: 'breach evidence',
      keep: 'breachEvidence',
      prune: (cutoff) => {
        cutoffs.push(cutoff);
        return { deleted: 3, more: false };
      },
    });
    const report = await retention.prune();
    expect(report.deleted['breach evidence']).toBe(3);
    expect(cutoffs).toEqual([world.clock.now() - 500 * 86_400_000]);
  });

  it('refuses audit data kept under 400 days, with the reason', () => {
    for (const key of ['incidents', 'timelines', 'breachEvidence', 'reports']) {
      const result = RetentionSchema.safeParse({ [key]: 399 });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/at least 400 days: .* audited yearly/);
    }
    expect(RetentionSchema.parse({})).toMatchObject({ rawAlarms: 30, incidents: 400, reports: 400 });
    expect(RetentionSchema.safeParse({ rawAlarms: 0 }).success).toBe(false);
  });
});

describe('retention and data other capabilities keep about an incident', () => {
  it('leaves an incident whole while another table still references it', async () => {
    // Timelines kept longer than incidents here, so "whole" includes the timeline.
    const { world, retention, fire, resolve } = setup({ timelines: 500 });
    const id = idOf(fire('am-1', 'dnode-1'));
    resolve(id);
    // Stand-in for a capability's evidence table with a foreign key to incidents.
    world.db.exec('CREATE TABLE evidence (incident_id INTEGER NOT NULL REFERENCES incidents (id))');
    world.db.prepare('INSERT INTO evidence (incident_id) VALUES (?)').run(id);
    world.clock.advance('401d');
    const report = await retention.prune();
    expect(report.failed).toEqual({});
    expect(report.deleted.incidents).toBe(0);
    expect(world.incidents.get(id)).toBeDefined();
    expect(world.incidents.timeline(id).length).toBeGreaterThan(0);
    expect(world.incidents.members(id)).toHaveLength(1);
  });
});

describe('retention of the SLA and outreach tables', () => {
  it('prunes clocks, notices, breach records, drafts and signals with their retention class, then the incident', async () => {
    const { world, retention, fire, resolve } = setup();
    const sla = new SlaStore(world.db);
    const outreach = new OutreachStore(world.db);
    retention.register({ name: 'sla-clocks', keep: 'incidents', prune: (c, n) => sla.pruneClocks(c, n) });
    retention.register({ name: 'sla-notices', keep: 'incidents', prune: (c, n) => sla.pruneNotices(c, n) });
    retention.register({
      name: 'sla-breaches',
      keep: 'breachEvidence',
      prune: (c, n) => sla.pruneBreaches(c, n),
    });
    retention.register({ name: 'outreach', keep: 'incidents', prune: (c, n) => outreach.prune(c, n) });
    const id = idOf(fire('am-1', 'dnode-1'));
    const t = world.clock.now();
    sla.saveClock(
      {
        incidentId: id,
        tenantId: 'nimbus',
        clockId: `${id}:${t}:sev1`,
        severity: 1,
        startedAt: t,
        status: 'breached',
        dueAt: t + 1_800_000,
      },
      t,
    );
    sla.recordNotice({
      key: `sla-breach:${id}:${t}:sev1`,
      incidentId: id,
      clockId: `${id}:${t}:sev1`,
      kind: 'breach',
      offsetMinutes: 30,
      dueAt: t + 1_800_000,
      sentAt: t + 1_800_000,
      notified: [],
    });
    sla.recordBreach({
      clockId: `${id}:${t}:sev1`,
      incidentId: id,
      tenantId: 'nimbus',
      severity: 1,
      startedAt: t,
      targetMs: 1_800_000,
      breachAt: t + 1_800_000,
      recordedAt: t + 1_800_000,
      evidence: {
        firstAlarmAt: t,
        clockStartedAt: t,
        targetMinutes: 30,
        pauses: [],
        remindersSent: [],
        notified: [],
      },
    });
    outreach.addSignal({
      id: 'slack:C1:1',
      tenantId: 'nimbus',
      at: t,
      kind: 'customer-message',
      text: 'slow',
      clusterHints: [],
      link: null,
    });
    outreach.addOverride({ incidentId: id, kind: 'not-related', at: t, actor: 'U0STAFF001' });
    resolve(id);
    const count = (table: string) =>
      (world.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

    world.clock.advance('399d');
    await retention.prune();
    expect(
      ['sla_clocks', 'sla_notices', 'sla_breaches', 'outreach_signals', 'outreach_overrides'].map(count),
    ).toEqual([1, 1, 1, 1, 1]);
    expect(world.incidents.get(id)).toBeDefined();

    world.clock.advance('2d');
    await retention.prune(); // the capability rows go; the incident they held goes on this pass or the next
    await retention.prune();
    expect(
      ['sla_clocks', 'sla_notices', 'sla_breaches', 'outreach_signals', 'outreach_overrides'].map(count),
    ).toEqual([0, 0, 0, 0, 0]);
    expect(world.incidents.get(id)).toBeUndefined();
  });
});

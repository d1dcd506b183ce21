// Response clocks as a process runs them: SlaClocks and SlaStore over a real SQLite file, the
// timeline's event hub wired the way src/capabilities/sla.ts wires it, the durable `sla.tick`
// job on a scheduler driven by a fake clock, one wake-up at a time (so every notice is sent at
// the exact instant it is due). Each test pins what went out (thread + DMs, with when), the
// sla_notices and sla_breaches rows and the tick jobs; a "restart" is a second process (new
// connection, stores, scheduler, hub and SlaClocks) on the same database file.
import { afterEach, describe, expect, it } from 'vitest';
import { waitForIdle } from '../../../sandbox/idle.js';
import { tenantSlaPolicies } from '../../../src/config/sla-schema.js';
import type { Severity } from '../../../src/domain/alarms/types.js';
import { type Message, plainText } from '../../../src/domain/message.js';
import { Scheduler } from '../../../src/jobs/scheduler.js';
import { EventHub } from '../../../src/services/events.js';
import type { ChatTarget } from '../../../src/services/ports.js';
import { contactResponders, Responders } from '../../../src/services/responders.js';
import { SLA_TICK_JOB, SlaClocks } from '../../../src/services/sla/clocks.js';
import { SlaReports } from '../../../src/services/sla/reports.js';
import { Timeline } from '../../../src/services/timeline.js';
import {
  AUTORESOLVE_JOB,
  CARD_JOB,
  CardScheduler,
  REPEAT_JOB,
} from '../../../src/services/triage/card-scheduler.js';
import { IncidentActions } from '../../../src/services/triage/incident-actions.js';
import { type Db, openDatabase } from '../../../src/store/db.js';
import { IncidentStore } from '../../../src/store/incident-store.js';
import { JobStore } from '../../../src/store/job-store.js';
import { SilenceStore } from '../../../src/store/silence-store.js';
import { SlaStore } from '../../../src/store/sla-store.js';
import { unitOfWork } from '../../../src/store/unit-of-work.js';
import { RecordingChat } from '../../helpers/fake-ports.js';
import { type ServiceWorld, serviceWorld } from '../../helpers/services.js';
import { testJob } from '../../helpers/test-job.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const PRIMARY = 'U0STAFF001';
const SECONDARY = 'U0STAFF002';
const MANAGER = 'U0VEGAMGR1';
const CSM = 'U0VEGACSM1';
const ALARMS = 'C0VEGAALRM';
/** Tue 1 Dec 2026 09:00 PST: inside business hours, a normal week. */
const TUESDAY_9AM = Date.parse('2026-12-01T17:00:00Z');

/** The chat port, also counting every attempt (the recording fake drops repeated keys silently). */
class CountingChat extends RecordingChat {
  readonly attempts: Array<{ key: string; at: number }> = [];

  constructor(private readonly now: () => number) {
    super();
  }

  override post(target: ChatTarget, message: Message, key: string): void {
    this.attempts.push({ key, at: this.now() });
    super.post(target, message, key);
  }
}

/** What one process has below the SLA capability: a connection, stores, scheduler, hub. */
interface Core {
  db: Db;
  jobs: JobStore;
  scheduler: Scheduler;
  events: EventHub;
  incidents: IncidentStore;
  timeline: Timeline;
  cards: CardScheduler;
  silences: SilenceStore;
}

/** A second process on the first one's database file (what a restart gets). */
function reopen(world: ServiceWorld): Core {
  const db = openDatabase(world.tmp.dbPath);
  const jobs = new JobStore(db);
  const scheduler = new Scheduler({
    store: jobs,
    clock: world.clock,
    logger: world.logger,
    maxAttempts: 3,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    concurrency: 2,
    random: () => 1,
  });
  for (const kind of [CARD_JOB, REPEAT_JOB, AUTORESOLVE_JOB]) scheduler.define(testJob(kind, async () => {}));
  const events = new EventHub();
  const incidents = new IncidentStore(db);
  const timeline = new Timeline({ incidents, events });
  const cards = new CardScheduler({ scheduler, incidents, policy: world.policy });
  return { db, jobs, scheduler, events, incidents, timeline, cards, silences: new SilenceStore(db) };
}

/** The SLA parts as src/capabilities/sla.ts builds them, on a process's core. */
function slaProcess(world: ServiceWorld, core: Core) {
  const { policies } = tenantSlaPolicies(world.config.tenants);
  const tx = unitOfWork(core.db);
  const store = new SlaStore(core.db);
  const chat = new CountingChat(() => world.clock.now());
  const staff = new Set(world.config.staff.userIds);
  const clocks = new SlaClocks({
    policies,
    store,
    incidents: core.incidents,
    timeline: core.timeline,
    tenants: world.tenants,
    responders: new Responders(contactResponders(world.tenants)),
    staff: { isStaff: (u) => staff.has(u) },
    scheduler: core.scheduler,
    chat,
    cards: core.cards,
    events: core.events,
    tx,
    clock: world.clock,
    logger: world.logger,
  });
  for (const job of clocks.jobs()) core.scheduler.define(job);
  core.events.on('timeline', (entry) => clocks.onTimeline(entry));
  const reports = new SlaReports({ clocks, store, incidents: core.incidents, tenants: world.tenants });
  const actions = new IncidentActions({
    tx,
    incidents: core.incidents,
    timeline: core.timeline,
    silences: core.silences,
    cards: core.cards,
    clock: world.clock,
  });
  const drain = async () => {
    core.scheduler.start();
    await waitForIdle(() => core.scheduler.isIdleNow());
  };

  return {
    ...core,
    tx,
    store,
    chat,
    clocks,
    reports,
    actions,
    clock: world.clock,

    /** What the capability's start does: re-arm every waiting clock; then the scheduler runs. */
    async start() {
      tx(() => {
        for (const row of store.activeClocks()) {
          const incident = core.incidents.get(row.incidentId);
          if (incident) clocks.refresh(incident, world.clock.now());
        }
      });
      await drain();
    },

    /** Moves time to `target` one scheduler wake-up at a time, running what is due at each. */
    async runTo(target: number) {
      await drain();
      for (let guard = 0; guard < 1000; guard++) {
        const next = world.clock.nextTimerAt();
        if (next === undefined || next > target) break;
        world.clock.setTime(Math.max(next, world.clock.now()));
        await drain();
      }
      world.clock.setTime(target);
      await drain();
    },

    /** A vega incident as intake opens one: the row, its card in the thread, the `opened` entry. */
    open(severity: Severity, title = 'D-node dnode-3 is not responding') {
      return tx(() => {
        const now = world.clock.now();
        const incident = core.incidents.create({
          tenantId: 'vega',
          groupKey: `tenant=vega|cluster=pdx-obj-01|title=${title}|at=${now}`,
          cluster: 'pdx-obj-01',
          category: 'storage-node',
          severity,
          title,
          channel: ALARMS,
          at: now,
        });
        core.incidents.update(incident.id, { cardTs: cardTs(incident.id), cardPostedAt: now });
        core.timeline.record({
          incidentId: incident.id,
          at: now,
          kind: 'opened',
          actor: null,
          message: [{ text: 'Opened by DNODE_DOWN on dnode-3' }],
          data: { severity },
        });
        return incident.id;
      });
    },

    /** Everything posted, in order: where, the key, when (minutes after `t0`). */
    said(t0: number) {
      const at = new Map(chat.attempts.map((a) => [a.key, a.at]));
      return chat.posts.map((p) => ({
        to: 'threadTs' in p.target ? `${p.target.channel}/${p.target.threadTs}` : p.target.channel,
        key: p.key,
        min: ((at.get(p.key) as number) - t0) / MIN,
      }));
    },

    /** The notices sent, as rows. */
    notices(incidentId: number) {
      return store.notices(incidentId);
    },

    /** The sla.tick jobs, oldest first, with what each run did. */
    ticks(t0: number) {
      return core.db
        .prepare(
          'SELECT idempotency_key AS key, run_at AS runAt, status, result FROM jobs WHERE kind = ? ORDER BY id',
        )
        .all(SLA_TICK_JOB)
        .map((r) => {
          const row = r as { key: string; runAt: number; status: string; result: string | null };
          return {
            key: row.key,
            min: (row.runAt - t0) / MIN,
            status: row.status,
            result: row.result === null ? null : (JSON.parse(row.result) as unknown),
          };
        });
    },

    timelineKinds(incidentId: number, kinds: readonly string[]) {
      return core.incidents
        .timeline(incidentId)
        .filter((e) => kinds.includes(e.kind))
        .map((e) => e.kind);
    },

    clockRows() {
      return core.db.prepare('SELECT * FROM sla_clocks ORDER BY incident_id').all() as Array<
        Record<string, unknown>
      >;
    },

    async stop() {
      await core.scheduler.stop();
      if (core.db.open) core.db.close();
    },
  };
}
type SlaProcess = ReturnType<typeof slaProcess>;

const cardTs = (id: number) => `1764608400.00010${id}`;
const thread = (id: number) => `${ALARMS}/${cardTs(id)}`;

const worlds: ServiceWorld[] = [];
const extra: SlaProcess[] = [];
afterEach(async () => {
  for (const p of extra.splice(0)) await p.stop();
  for (const w of worlds.splice(0)) await w.close();
});

function setup(at = TUESDAY_9AM) {
  const world = serviceWorld();
  worlds.push(world);
  world.clock.setTime(at);
  const proc = slaProcess(world, world);
  return { world, proc, t0: at };
}

function restart(world: ServiceWorld) {
  const proc = slaProcess(world, reopen(world));
  extra.push(proc);
  return proc;
}

/** The thread post and the DMs of one notice, as `said` lists them. */
function notice(id: number, key: string, min: number, dmTo: readonly string[]) {
  return [{ to: thread(id), key, min }, ...dmTo.map((user) => ({ to: user, key: `${key}:dm:${user}`, min }))];
}

const textOf = (proc: SlaProcess, key: string) =>
  plainText(proc.chat.posts.find((p) => p.key === key)?.message ?? []);

describe('SlaClocks (real SQLite, fake clock)', () => {
  it('an ack at 9 minutes: nothing is ever sent, the armed 10-minute tick finds nothing, no breach', async () => {
    const { proc, t0 } = setup();
    const id = proc.open(1);
    const clockId = `${id}:${t0}:sev1`;
    expect(proc.ticks(t0)).toEqual([
      { key: `sla-tick:${id}:${t0 + 10 * MIN}`, min: 10, status: 'pending', result: null },
    ]);

    await proc.runTo(t0 + 9 * MIN);
    expect(proc.actions.acknowledge(id, PRIMARY).ok).toBe(true);
    await proc.runTo(t0 + 3 * HOUR);

    expect(proc.chat.attempts).toEqual([]);
    expect(proc.notices(id)).toEqual([]);
    expect(proc.store.breaches(id)).toEqual([]);
    expect(proc.ticks(t0)).toEqual([
      { key: `sla-tick:${id}:${t0 + 10 * MIN}`, min: 10, status: 'done', result: { sent: [] } },
    ]);
    expect(proc.store.clock(id)).toEqual({
      incidentId: id,
      tenantId: 'vega',
      clockId,
      severity: 1,
      startedAt: t0,
      status: 'responded',
      dueAt: t0 + 30 * MIN,
    });
    const state = proc.clocks.state(proc.incidents.get(id) as never, proc.clock.now());
    expect(state).toMatchObject({
      status: 'responded',
      respondedAt: t0 + 9 * MIN,
      responder: PRIMARY,
      elapsedBusinessMs: 9 * MIN,
      breached: false,
    });
  });

  it('nobody answers: reminders at exactly 10, 20 and 25 minutes, one immutable breach at 30; repeated ticks send nothing more', async () => {
    const { proc, t0 } = setup();
    const id = proc.open(1);
    const c = `${id}:${t0}:sev1`;
    // A second tick for the same instant under another key (two ticks racing) sends nothing twice.
    proc.scheduler.enqueue({
      kind: SLA_TICK_JOB,
      key: 'sla-tick:race',
      runAt: t0 + 10 * MIN,
      payload: { incidentId: id },
    });

    await proc.runTo(t0 + 2 * HOUR);

    const expectedPosts = [
      ...notice(id, `sla-remind:${c}:10`, 10, [PRIMARY]),
      ...notice(id, `sla-remind:${c}:20`, 20, [SECONDARY]),
      ...notice(id, `sla-remind:${c}:25`, 25, [MANAGER]),
      ...notice(id, `sla-breach:${c}`, 30, [MANAGER, CSM]),
    ];
    expect(proc.said(t0)).toEqual(expectedPosts);
    expect(proc.chat.attempts).toHaveLength(expectedPosts.length);
    expect(textOf(proc, `sla-remind:${c}:10`)).toBe(
      `SLA reminder — INC-${id} (Sev1) has had no human response for 10m: 20m left of the 30m target ` +
        `(due Tue 1 Dec 09:30 PST). @${PRIMARY} (primary on call). Acknowledge with the card’s button or /ack INC-${id}.`,
    );
    expect(textOf(proc, `sla-remind:${c}:25`)).toContain(`5m left of the 30m target`);
    expect(textOf(proc, `sla-remind:${c}:25`)).toContain(`Escalating to @${MANAGER} (manager)`);
    expect(textOf(proc, `sla-breach:${c}`)).toBe(
      `SLA breached — INC-${id} (Sev1) had no human response within the 30m target (clock started ` +
        `Tue 1 Dec 09:00 PST, due Tue 1 Dec 09:30 PST). The breach is recorded with its evidence; told ` +
        `@${MANAGER} (manager), @${CSM} (customer success manager). It still needs a response: /ack INC-${id}.`,
    );

    const row = (offset: number, kind: 'reminder' | 'breach', notified: Array<[string, string]>) => ({
      key: kind === 'breach' ? `sla-breach:${c}` : `sla-remind:${c}:${offset}`,
      incidentId: id,
      clockId: c,
      kind,
      offsetMinutes: offset,
      dueAt: t0 + offset * MIN,
      sentAt: t0 + offset * MIN,
      notified: notified.map(([role, userId]) => ({ role, userId })),
    });
    const notices = [
      row(10, 'reminder', [['primary', PRIMARY]]),
      row(20, 'reminder', [['secondary', SECONDARY]]),
      row(25, 'reminder', [['manager', MANAGER]]),
      row(30, 'breach', [
        ['manager', MANAGER],
        ['csm', CSM],
      ]),
    ];
    expect(proc.notices(id)).toEqual(notices);
    const breach = {
      clockId: c,
      incidentId: id,
      tenantId: 'vega',
      severity: 1,
      startedAt: t0,
      targetMs: 30 * MIN,
      breachAt: t0 + 30 * MIN,
      recordedAt: t0 + 30 * MIN,
      evidence: {
        firstAlarmAt: null,
        clockStartedAt: t0,
        targetMinutes: 30,
        pauses: [],
        remindersSent: [
          { key: `sla-remind:${c}:10`, at: t0 + 10 * MIN, offsetMinutes: 10, notified: [PRIMARY] },
          { key: `sla-remind:${c}:20`, at: t0 + 20 * MIN, offsetMinutes: 20, notified: [SECONDARY] },
          { key: `sla-remind:${c}:25`, at: t0 + 25 * MIN, offsetMinutes: 25, notified: [MANAGER] },
        ],
        notified: [
          { role: 'manager', userId: MANAGER },
          { role: 'csm', userId: CSM },
        ],
      },
    };
    expect(proc.store.breaches(id)).toEqual([breach]);
    const tick = (min: number, sent: string[]) => ({
      key: `sla-tick:${id}:${t0 + min * MIN}`,
      min,
      status: 'done',
      result: { sent },
    });
    const ticks = [
      tick(10, [`sla-remind:${c}:10`]),
      { key: 'sla-tick:race', min: 10, status: 'done', result: { sent: [] } },
      tick(20, [`sla-remind:${c}:20`]),
      tick(25, [`sla-remind:${c}:25`]),
      tick(30, [`sla-breach:${c}`]),
    ];
    expect(proc.ticks(t0)).toEqual(ticks);
    expect(proc.store.clock(id)).toMatchObject({ clockId: c, status: 'breached', dueAt: t0 + 30 * MIN });

    // The database refuses to change a breach record.
    expect(() => proc.db.prepare('UPDATE sla_breaches SET breach_at = breach_at + 1').run()).toThrow(
      /SLA breach records are immutable/,
    );
    expect(proc.store.breaches(id)).toEqual([breach]);

    // The tick run again (at the breach instant and now), a done tick re-enqueued, a fresh one:
    // nothing more is sent, recorded or armed.
    const [definition] = proc.clocks.jobs();
    const job = proc.jobs.getByKey(`sla-tick:${id}:${t0 + 30 * MIN}`);
    if (!definition || !job) throw new Error('no sla.tick');
    for (const now of [t0 + 30 * MIN, t0 + 30 * MIN, proc.clock.now()])
      expect(await definition.run({ incidentId: id } as never, { job, now, checkpoint: () => {} })).toEqual({
        sent: [],
      });
    expect(
      proc.scheduler.enqueue({
        kind: SLA_TICK_JOB,
        key: `sla-tick:${id}:${t0 + 30 * MIN}`,
        runAt: t0 + 30 * MIN,
        payload: { incidentId: id },
      }).created,
    ).toBe(false);
    proc.scheduler.enqueue({ kind: SLA_TICK_JOB, key: 'sla-tick:again', payload: { incidentId: id } });
    await proc.runTo(proc.clock.now() + HOUR);

    expect(proc.chat.attempts).toHaveLength(expectedPosts.length);
    expect(proc.notices(id)).toEqual(notices);
    expect(proc.store.breaches(id)).toEqual([breach]);
    expect(proc.ticks(t0)).toEqual([
      ...ticks,
      { key: 'sla-tick:again', min: 120, status: 'done', result: { sent: [] } },
    ]);
    expect(proc.timelineKinds(id, ['sla-reminder', 'sla-breach'])).toEqual([
      'sla-reminder',
      'sla-reminder',
      'sla-reminder',
      'sla-breach',
    ]);
  });

  it('a restart at minute 24: the new process sends the 25-minute reminder once and the breach once', async () => {
    const { world, proc, t0 } = setup();
    const id = proc.open(1);
    const c = `${id}:${t0}:sev1`;
    await proc.runTo(t0 + 21 * MIN);
    expect(proc.said(t0)).toEqual([
      ...notice(id, `sla-remind:${c}:10`, 10, [PRIMARY]),
      ...notice(id, `sla-remind:${c}:20`, 20, [SECONDARY]),
    ]);
    await proc.stop(); // the process goes away; the 25-minute tick waits in the jobs table

    world.clock.setTime(t0 + 24 * MIN);
    const second = restart(world);
    await second.start();
    expect(second.chat.attempts).toEqual([]);
    await second.runTo(t0 + 2 * HOUR);

    expect(second.said(t0)).toEqual([
      ...notice(id, `sla-remind:${c}:25`, 25, [MANAGER]),
      ...notice(id, `sla-breach:${c}`, 30, [MANAGER, CSM]),
    ]);
    expect(second.chat.attempts).toHaveLength(5);
    expect(textOf(second, `sla-remind:${c}:25`)).not.toContain('late');
    expect(second.notices(id).map((n) => [n.key, (n.dueAt - t0) / MIN, (n.sentAt - t0) / MIN])).toEqual([
      [`sla-remind:${c}:10`, 10, 10],
      [`sla-remind:${c}:20`, 20, 20],
      [`sla-remind:${c}:25`, 25, 25],
      [`sla-breach:${c}`, 30, 30],
    ]);
    const breaches = second.store.breaches(id);
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({ clockId: c, breachAt: t0 + 30 * MIN, recordedAt: t0 + 30 * MIN });
    expect(breaches[0]?.evidence.remindersSent.map((r) => r.offsetMinutes)).toEqual([10, 20, 25]);
    expect(second.ticks(t0).map((t) => [t.min, t.status])).toEqual([
      [10, 'done'],
      [20, 'done'],
      [25, 'done'],
      [30, 'done'],
    ]);
  });

  it('down from minute 21 to 32: on restart the 25-minute reminder and the breach go out at once, each saying it is late', async () => {
    const { world, proc, t0 } = setup();
    const id = proc.open(1);
    const c = `${id}:${t0}:sev1`;
    await proc.runTo(t0 + 21 * MIN);
    await proc.stop();

    world.clock.setTime(t0 + 32 * MIN);
    const second = restart(world);
    await second.start();
    await second.runTo(t0 + 2 * HOUR);

    expect(second.said(t0)).toEqual([
      ...notice(id, `sla-remind:${c}:25`, 32, [MANAGER]),
      ...notice(id, `sla-breach:${c}`, 32, [MANAGER, CSM]),
    ]);
    expect(textOf(second, `sla-remind:${c}:25`)).toContain(
      '(sent 7m late: it was due at Tue 1 Dec 09:25 PST while opsbot could not send it)',
    );
    expect(textOf(second, `sla-breach:${c}`)).toContain('(sent 2m late');
    expect(second.notices(id).map((n) => [n.key, (n.dueAt - t0) / MIN, (n.sentAt - t0) / MIN])).toEqual([
      [`sla-remind:${c}:10`, 10, 10],
      [`sla-remind:${c}:20`, 20, 20],
      [`sla-breach:${c}`, 30, 32], // same sent_at: the store orders by key
      [`sla-remind:${c}:25`, 25, 32],
    ]);
    const breaches = second.store.breaches(id);
    expect(breaches).toMatchObject([{ clockId: c, breachAt: t0 + 30 * MIN, recordedAt: t0 + 32 * MIN }]);
    // The late reminder went out first in the same tick, so the breach's evidence has it.
    expect(breaches[0]?.evidence.remindersSent.map((r) => [r.offsetMinutes, (r.at - t0) / MIN])).toEqual([
      [10, 10],
      [20, 20],
      [25, 32],
    ]);
  });

  it('Sev2 upgraded to Sev1 at 40 minutes: a new 30-minute clock from the upgrade, Sev1 reminders on its id, no Sev2 ones', async () => {
    const { proc, t0 } = setup();
    const id = proc.open(2);
    const sev2 = `${id}:${t0}:sev2`;
    expect(proc.ticks(t0).map((t) => t.min)).toEqual([60]);

    await proc.runTo(t0 + 40 * MIN);
    expect(proc.actions.changeSeverity(id, PRIMARY, 1, 'every PUT fails now').ok).toBe(true);
    const up = t0 + 40 * MIN;
    const c = `${id}:${up}:sev1`;
    await proc.runTo(t0 + 4 * HOUR);

    expect(proc.said(t0)).toEqual([
      ...notice(id, `sla-remind:${c}:10`, 50, [PRIMARY]),
      ...notice(id, `sla-remind:${c}:20`, 60, [SECONDARY]),
      ...notice(id, `sla-remind:${c}:25`, 65, [MANAGER]),
      ...notice(id, `sla-breach:${c}`, 70, [MANAGER, CSM]),
    ]);
    expect(proc.notices(id).every((n) => n.clockId === c && !n.key.includes(sev2))).toBe(true);
    expect(proc.store.breaches(id)).toMatchObject([
      { clockId: c, severity: 1, startedAt: up, targetMs: 30 * MIN, breachAt: up + 30 * MIN },
    ]);
    // The Sev2 tick at 60 minutes, already armed, carried the Sev1 20-minute reminder (same instant).
    expect(proc.ticks(t0).map((t) => [t.min, t.status, t.result])).toEqual([
      [60, 'done', { sent: [`sla-remind:${c}:20`] }],
      [50, 'done', { sent: [`sla-remind:${c}:10`] }],
      [65, 'done', { sent: [`sla-remind:${c}:25`] }],
      [70, 'done', { sent: [`sla-breach:${c}`] }],
    ]);
    expect(proc.store.clock(id)).toMatchObject({
      clockId: c,
      severity: 1,
      startedAt: t0,
      status: 'breached',
      dueAt: up + 30 * MIN,
    });
    const state = proc.clocks.state(proc.incidents.get(id) as never, proc.clock.now());
    expect(state?.severityChanges).toEqual([
      { at: up, from: 2, to: 1, customerAgreed: false, effect: 'restarted' },
    ]);
  });

  it('Sev1 lowered to Sev2 without the customer’s agreement: the 30-minute target stays, breach at 30', async () => {
    const { proc, t0 } = setup();
    const id = proc.open(1);
    const c = `${id}:${t0}:sev1`;
    await proc.runTo(t0 + 12 * MIN);
    expect(proc.actions.changeSeverity(id, PRIMARY, 2, 'only reads are slow').ok).toBe(true);
    await proc.runTo(t0 + 3 * HOUR);

    expect(proc.said(t0)).toEqual([
      ...notice(id, `sla-remind:${c}:10`, 10, [PRIMARY]),
      ...notice(id, `sla-remind:${c}:20`, 20, [SECONDARY]),
      ...notice(id, `sla-remind:${c}:25`, 25, [MANAGER]),
      ...notice(id, `sla-breach:${c}`, 30, [MANAGER, CSM]),
    ]);
    expect(proc.store.breaches(id)).toMatchObject([
      { clockId: c, severity: 1, targetMs: 30 * MIN, breachAt: t0 + 30 * MIN },
    ]);
    expect(proc.incidents.get(id)?.severity).toBe(2);
    expect(proc.clocks.state(proc.incidents.get(id) as never, proc.clock.now())).toMatchObject({
      severity: 1,
      incidentSeverity: 2,
      severityChanges: [{ from: 1, to: 2, customerAgreed: false, effect: 'kept-target' }],
    });
  });

  it('Sev1 lowered to Sev2 with the customer’s agreement: 2 hours from the original start, the Sev2 reminder plan', async () => {
    const { proc, t0 } = setup();
    const id = proc.open(1);
    const sev1 = `${id}:${t0}:sev1`;
    const c = `${id}:${t0}:sev2`;
    await proc.runTo(t0 + 12 * MIN);
    expect(proc.actions.changeSeverity(id, PRIMARY, 2, 'only reads are slow', true).ok).toBe(true);
    expect(proc.store.clock(id)).toMatchObject({ clockId: c, severity: 2, dueAt: t0 + 2 * HOUR });
    await proc.runTo(t0 + 4 * HOUR);

    expect(proc.said(t0)).toEqual([
      ...notice(id, `sla-remind:${sev1}:10`, 10, [PRIMARY]), // sent before the agreement
      ...notice(id, `sla-remind:${c}:60`, 60, [PRIMARY]),
      ...notice(id, `sla-remind:${c}:90`, 90, [SECONDARY]),
      ...notice(id, `sla-remind:${c}:110`, 110, [MANAGER]),
      ...notice(id, `sla-breach:${c}`, 120, [MANAGER, CSM]),
    ]);
    expect(textOf(proc, `sla-remind:${c}:60`)).toContain(
      '1h left of the 2h target (due Tue 1 Dec 11:00 PST)',
    );
    expect(proc.store.breaches(id)).toMatchObject([
      { clockId: c, severity: 2, startedAt: t0, targetMs: 2 * HOUR, breachAt: t0 + 2 * HOUR },
    ]);
    // Only the running clock's reminders are its breach's evidence.
    expect(proc.store.breaches(id)[0]?.evidence.remindersSent.map((r) => r.key)).toEqual([
      `sla-remind:${c}:60`,
      `sla-remind:${c}:90`,
      `sla-remind:${c}:110`,
    ]);
    // The Sev1 20-minute tick was already armed: it ran and found nothing due.
    expect(proc.ticks(t0).map((t) => [t.min, t.result])).toEqual([
      [10, { sent: [`sla-remind:${sev1}:10`] }],
      [20, { sent: [] }],
      [60, { sent: [`sla-remind:${c}:60`] }],
      [90, { sent: [`sla-remind:${c}:90`] }],
      [110, { sent: [`sla-remind:${c}:110`] }],
      [120, { sent: [`sla-breach:${c}`] }],
    ]);
  });

  // Sev3: 8 counted business hours (09:00–17:00 America/Los_Angeles, Mon–Fri, 2026-12-25 off);
  // reminders at 4 h (primary) and 7 h (secondary). Every instant below is UTC, as stored.
  it.each([
    {
      name: 'Fri 16:00 PST: 1 h on Friday, nothing over the weekend, due Mon 16:00 PST',
      open: '2026-12-05T00:00:00Z', // Fri 4 Dec 16:00 PST
      weekend: '2026-12-05T20:00:00Z', // Sat 12:00 PST
      remind4h: '2026-12-07T20:00:00Z', // Mon 12:00 PST
      remind7h: '2026-12-07T23:00:00Z', // Mon 15:00 PST
      due: '2026-12-08T00:00:00Z', // Mon 7 Dec 16:00 PST
    },
    {
      name: 'Thu 24 Dec 16:00 PST: Christmas (a Friday) and the weekend skipped, due Mon 28 Dec 16:00 PST',
      open: '2026-12-25T00:00:00Z', // Thu 24 Dec 16:00 PST
      weekend: '2026-12-25T20:00:00Z', // Fri 25 Dec 12:00 PST, the holiday
      remind4h: '2026-12-28T20:00:00Z',
      remind7h: '2026-12-28T23:00:00Z',
      due: '2026-12-29T00:00:00Z',
    },
    {
      name: 'Fri 12 Mar 2027 16:00 PST, over the spring-forward weekend: due Mon 15 Mar 16:00 PDT (23:00 UTC)',
      open: '2027-03-13T00:00:00Z', // Fri 16:00 PST (UTC−8)
      weekend: '2027-03-14T19:00:00Z', // Sun 12:00 PDT, after the change
      remind4h: '2027-03-15T19:00:00Z', // Mon 12:00 PDT (UTC−7)
      remind7h: '2027-03-15T22:00:00Z',
      due: '2027-03-15T23:00:00Z', // not 2027-03-16T00:00Z: the calendar is local time
    },
    {
      name: 'Fri 5 Nov 2027 16:00 PDT, over the fall-back weekend: due Mon 8 Nov 16:00 PST (00:00 UTC)',
      open: '2027-11-05T23:00:00Z', // Fri 16:00 PDT (UTC−7)
      weekend: '2027-11-07T20:00:00Z', // Sun 12:00 PST, after the change
      remind4h: '2027-11-08T20:00:00Z', // Mon 12:00 PST (UTC−8)
      remind7h: '2027-11-08T23:00:00Z',
      due: '2027-11-09T00:00:00Z',
    },
  ])('a Sev3 opened $name', async (c) => {
    const t0 = Date.parse(c.open);
    const { proc } = setup(t0);
    const id = proc.open(3);
    const k = `${id}:${t0}:sev3`;
    const due = Date.parse(c.due);

    await proc.runTo(Date.parse(c.weekend));
    expect(proc.chat.attempts).toEqual([]);
    expect(proc.clocks.state(proc.incidents.get(id) as never, proc.clock.now())).toMatchObject({
      status: 'outside-coverage',
      outsideCoverage: true,
      elapsedBusinessMs: HOUR,
      remainingMs: 7 * HOUR,
      dueAt: due,
    });
    await proc.runTo(due + HOUR);

    const min = (iso: string) => (Date.parse(iso) - t0) / MIN;
    expect(proc.said(t0)).toEqual([
      ...notice(id, `sla-remind:${k}:240`, min(c.remind4h), [PRIMARY]),
      ...notice(id, `sla-remind:${k}:420`, min(c.remind7h), [SECONDARY]),
      ...notice(id, `sla-breach:${k}`, min(c.due), [MANAGER, CSM]),
    ]);
    expect(proc.store.breaches(id)).toMatchObject([
      { clockId: k, severity: 3, targetMs: 8 * HOUR, breachAt: due, recordedAt: due },
    ]);
    expect(proc.ticks(t0).map((t) => t.min)).toEqual([min(c.remind4h), min(c.remind7h), min(c.due)]);
  });

  it('a pause (waiting on customer) holds the clock and the resume moves every due time by the pause', async () => {
    const { proc, t0 } = setup();
    const id = proc.open(1);
    const c = `${id}:${t0}:sev1`;
    await proc.runTo(t0 + 5 * MIN);
    const paused = proc.clocks.pause(id, PRIMARY, proc.clock.now());
    expect(paused.ok).toBe(true);
    expect(plainText(paused.message)).toBe(
      `Paused the INC-${id} response clock (waiting-on-customer); 25m left when it resumes. Press Resume clock on the card when the customer answers.`,
    );
    expect(proc.store.clock(id)).toMatchObject({ status: 'paused', dueAt: null });

    await proc.runTo(t0 + 20 * MIN);
    expect(proc.chat.attempts).toEqual([]); // the 10-minute tick ran while paused: nothing due
    expect(proc.clocks.resume(id, PRIMARY, proc.clock.now()).ok).toBe(true);
    expect(proc.store.clock(id)).toMatchObject({ status: 'running', dueAt: t0 + 45 * MIN });
    await proc.runTo(t0 + 2 * HOUR);

    expect(proc.said(t0)).toEqual([
      ...notice(id, `sla-remind:${c}:10`, 25, [PRIMARY]),
      ...notice(id, `sla-remind:${c}:20`, 35, [SECONDARY]),
      ...notice(id, `sla-remind:${c}:25`, 40, [MANAGER]),
      ...notice(id, `sla-breach:${c}`, 45, [MANAGER, CSM]),
    ]);
    expect(proc.ticks(t0).map((t) => [t.min, t.result])).toEqual([
      [10, { sent: [] }],
      [25, { sent: [`sla-remind:${c}:10`] }],
      [35, { sent: [`sla-remind:${c}:20`] }],
      [40, { sent: [`sla-remind:${c}:25`] }],
      [45, { sent: [`sla-breach:${c}`] }],
    ]);
    expect(proc.store.breaches(id)).toMatchObject([
      {
        clockId: c,
        breachAt: t0 + 45 * MIN,
        evidence: {
          pauses: [{ from: t0 + 5 * MIN, to: t0 + 20 * MIN, reason: 'waiting-on-customer', actor: PRIMARY }],
        },
      },
    ]);
  });

  it('recomputes: the monthly report and the sla_clocks rows come out the same from the stored timeline in a fresh process', async () => {
    const { world, proc, t0 } = setup();
    const answered = proc.open(1, 'answered in 9m');
    const breached = proc.open(1, 'breached, answered at 45m');
    const upgraded = proc.open(2, 'upgraded at 40m, answered 10m later');
    const paused = proc.open(1, 'paused 5–20m, answered at 30m');
    await proc.runTo(t0 + 5 * MIN);
    proc.clocks.pause(paused, PRIMARY, proc.clock.now());
    await proc.runTo(t0 + 9 * MIN);
    proc.actions.acknowledge(answered, PRIMARY);
    await proc.runTo(t0 + 20 * MIN);
    proc.clocks.resume(paused, PRIMARY, proc.clock.now());
    await proc.runTo(t0 + 30 * MIN);
    proc.actions.acknowledge(paused, SECONDARY);
    await proc.runTo(t0 + 40 * MIN);
    proc.actions.changeSeverity(upgraded, PRIMARY, 1, 'every PUT fails now');
    await proc.runTo(t0 + 45 * MIN);
    proc.actions.acknowledge(breached, SECONDARY);
    await proc.runTo(t0 + 50 * MIN);
    proc.actions.acknowledge(upgraded, PRIMARY);
    await proc.runTo(t0 + 60 * MIN);
    const running = proc.open(3, 'a Sev3 still running');
    proc.actions.resolve(answered, PRIMARY);
    await proc.runTo(t0 + 3 * HOUR); // Tue 12:00 PST: the Sev3 is running inside business hours

    const now = proc.clock.now();
    const report = proc.reports.monthly('vega', '2026-12', now);
    const rows = proc.clockRows();
    expect(report?.breaches.map((b) => b.incidentId)).toEqual([String(breached)]);
    expect(report?.severities.find((s) => s.severity === 1)).toMatchObject({ measured: 4, onTime: 3 });
    expect(rows.map((r) => [r.incident_id, r.status])).toEqual([
      [answered, 'responded'],
      [breached, 'responded'],
      [upgraded, 'responded'],
      [paused, 'responded'],
      [running, 'running'],
    ]);
    await proc.stop();

    // A fresh process: new connection, stores and SlaClocks, nothing carried over but the file.
    const fresh = restart(world);
    expect(fresh.reports.monthly('vega', '2026-12', now)).toEqual(report);
    expect(fresh.clockRows()).toEqual(rows);
    // Every projection row is what the fold of that incident's timeline says now…
    for (const row of rows) {
      const incident = fresh.incidents.get(row.incident_id as number);
      const state = incident && fresh.clocks.state(incident, now);
      expect(
        state && {
          clock_id: state.clockId,
          severity: state.severity,
          started_at: state.firstStartedAt,
          status: state.respondedAt !== undefined ? 'responded' : state.status,
          due_at: state.dueAt ?? null,
        },
      ).toEqual({
        clock_id: row.clock_id,
        severity: row.severity,
        started_at: row.started_at,
        status: row.status,
        due_at: row.due_at,
      });
    }
    // …and the index rebuilt from nothing but the timelines is the same, and so is the report.
    fresh.db.prepare('DELETE FROM sla_clocks').run();
    fresh.tx(() => {
      for (const row of rows)
        fresh.clocks.refresh(fresh.incidents.get(row.incident_id as number) as never, now);
    });
    const strip = (r: Record<string, unknown>) => ({ ...r, updated_at: undefined });
    expect(fresh.clockRows().map(strip)).toEqual(rows.map(strip));
    expect(fresh.reports.monthly('vega', '2026-12', now)).toEqual(report);
  });
});

// A service-level world for integration tests: a real SQLite file with every migration, the
// stores, the unit of work, the timeline and event hub, a scheduler on a fake clock and the
// tenants of config/sandbox.yaml. What the kernel (src/app.ts) builds, minus Slack and HTTP.
import { fileURLToPath } from 'node:url';
import { FakeClock } from '../../sandbox/fake-clock.js';
import { waitForIdle } from '../../sandbox/idle.js';
import { loadConfigFile } from '../../src/config/load.js';
import type { OpsbotConfig, TenantConfig } from '../../src/config/schema.js';
import { toTriagePolicy } from '../../src/config/triage-schema.js';
import type { AlarmStatus, ParsedAlarm } from '../../src/domain/alarms/types.js';
import { CircuitBreaker } from '../../src/jobs/circuit-breaker.js';
import { Scheduler } from '../../src/jobs/scheduler.js';
import { EventHub } from '../../src/services/events.js';
import type { IntegrationDeps } from '../../src/services/integrations/deps.js';
import { TenantDirectory } from '../../src/services/tenant-directory.js';
import { Timeline } from '../../src/services/timeline.js';
import {
  AUTORESOLVE_JOB,
  CARD_JOB,
  CardScheduler,
  REPEAT_JOB,
} from '../../src/services/triage/card-scheduler.js';
import type { AlarmInput } from '../../src/services/triage/intake.js';
import { AlarmIntake } from '../../src/services/triage/intake.js';
import { AlarmStore } from '../../src/store/alarm-store.js';
import { openDatabase } from '../../src/store/db.js';
import type { GroupCommit } from '../../src/store/group-commit.js';
import { IncidentStore, type NewIncident } from '../../src/store/incident-store.js';
import { JobStore } from '../../src/store/job-store.js';
import { LinkStore } from '../../src/store/link-store.js';
import { SilenceStore } from '../../src/store/silence-store.js';
import { TriageInbox } from '../../src/store/triage-inbox.js';
import { unitOfWork } from '../../src/store/unit-of-work.js';
import { WatermarkStore } from '../../src/store/watermark-store.js';
import { FakePeople, FakePermalinks, RecordingChat } from './fake-ports.js';
import { memoryLogger } from './logger.js';
import { tempDir } from './temp-db.js';
import { testJob } from './test-job.js';

const SANDBOX_CONFIG = fileURLToPath(new URL('../../config/sandbox.yaml', import.meta.url));

/** The sandbox configuration (two tenants: nimbus and helix-ai, both with Salesforce). */
export function sandboxConfig(): OpsbotConfig {
  const loaded = loadConfigFile(SANDBOX_CONFIG);
  if (!loaded.ok) throw new Error(`config/sandbox.yaml is invalid:\n${loaded.problems.join('\n')}`);
  return loaded.config;
}

/** The sandbox config with one tenant changed (e.g. without Salesforce). */
export function withTenant(
  config: OpsbotConfig,
  tenantId: string,
  change: (t: TenantConfig) => TenantConfig,
): OpsbotConfig {
  return { ...config, tenants: config.tenants.map((t) => (t.id === tenantId ? change(t) : t)) };
}

export type ServiceWorld = ReturnType<typeof serviceWorld>;

export function serviceWorld(config: OpsbotConfig = sandboxConfig()) {
  const tmp = tempDir('opsbot-services-');
  const db = openDatabase(tmp.dbPath);
  const clock = new FakeClock('2026-11-26T09:00:00Z');
  const logger = memoryLogger('silent').logger;
  const jobs = new JobStore(db);
  const scheduler = new Scheduler({
    store: jobs,
    clock,
    logger,
    maxAttempts: 3,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    concurrency: 2,
    random: () => 1,
  });
  const events = new EventHub();
  const incidents = new IncidentStore(db);
  const alarms = new AlarmStore(db);
  const triageInbox = new TriageInbox(db);
  const silences = new SilenceStore(db);
  const links = new LinkStore(db);
  const watermarks = new WatermarkStore(db);
  const timeline = new Timeline({ incidents, events });
  const tenants = new TenantDirectory(config);
  const policy = toTriagePolicy(config.triage);
  const cards = new CardScheduler({ scheduler, incidents, policy });
  const chat = new RecordingChat();
  const permalinks = new FakePermalinks();
  const people = new FakePeople();
  // The card jobs need Slack; here they only record that they ran (the services under test
  // enqueue them, and the scheduler refuses kinds nobody defined).
  const cardRuns: Array<{ kind: string; payload: unknown }> = [];
  for (const kind of [CARD_JOB, REPEAT_JOB, AUTORESOLVE_JOB])
    scheduler.define(
      testJob(kind, async (payload) => {
        cardRuns.push({ kind, payload });
      }),
    );

  return {
    tmp,
    db,
    clock,
    logger,
    config,
    jobs,
    scheduler,
    events,
    incidents,
    alarms,
    triageInbox,
    silences,
    links,
    watermarks,
    timeline,
    tenants,
    policy,
    cards,
    chat,
    permalinks,
    people,
    cardRuns,
    tx: unitOfWork(db),

    /** What the case and escalation services share (src/capabilities/integration-deps.ts). */
    integrationDeps(): IntegrationDeps {
      return {
        scheduler,
        jobs,
        incidents,
        timeline,
        events,
        links,
        watermarks,
        tenants,
        breaker: new CircuitBreaker({ failureThreshold: 5, openMs: 60_000, maxOpenMs: 600_000 }),
        chat,
        permalinks,
        people,
        clock,
        pollEveryMs: 60_000,
        logger,
      };
    },

    /** An open incident written straight to the store (for services downstream of intake). */
    openIncident(patch: Partial<NewIncident> = {}) {
      return incidents.create({
        tenantId: 'nimbus',
        groupKey: 'tenant=nimbus|cluster=sjc-obj-01|category=storage-node',
        cluster: 'sjc-obj-01',
        category: 'storage-node',
        severity: 1,
        title: 'D-node dnode-3 is not responding',
        channel: 'C0NIMBALRM',
        at: clock.now(),
        ...patch,
      });
    },

    /** Jobs of a kind, oldest first. */
    jobsOf(kind: string) {
      return db
        .prepare(
          'SELECT idempotency_key AS key, payload, run_at AS runAt, status FROM jobs WHERE kind = ? ORDER BY id',
        )
        .all(kind)
        .map((r) => {
          const row = r as { key: string; payload: string; runAt: number; status: string };
          return { ...row, payload: JSON.parse(row.payload) as unknown };
        });
    },

    /** Runs whatever is due now (and what that enqueues) until nothing is left at this instant. */
    async drain() {
      scheduler.start();
      await waitForIdle(() => scheduler.isIdleNow());
    },

    async close() {
      await scheduler.stop();
      if (db.open) db.close();
      tmp.remove();
    },
  };
}

/** The alarm pipeline over a service world's stores (`commits`: as the app runs it, group-committed). */
export function intakeFor(world: ServiceWorld, commits?: GroupCommit): AlarmIntake {
  return new AlarmIntake({
    ...(commits ? { commits } : {}),
    tx: world.tx,
    alarms: world.alarms,
    inbox: world.triageInbox,
    incidents: world.incidents,
    timeline: world.timeline,
    silences: world.silences,
    cards: world.cards,
    policy: world.policy,
    clock: world.clock,
    logger: world.logger,
  });
}

/** An alarm as a door hands it to the intake, for the nimbus tenant's sjc-obj-01 cluster. */
export function alarmInput(
  world: ServiceWorld,
  a: {
    dedupeKey: string;
    name: string;
    summary: string;
    componentId: string;
    status?: AlarmStatus;
    tenantId?: string;
    cluster?: string;
  },
): AlarmInput {
  const tenant = world.tenants.tenant(a.tenantId ?? 'nimbus');
  if (!tenant) throw new Error(`no tenant ${a.tenantId} in the sandbox config`);
  const parsed: ParsedAlarm = {
    format: 'key-value',
    name: a.name,
    status: a.status ?? 'firing',
    cluster: a.cluster ?? 'sjc-obj-01',
    componentId: a.componentId,
    summary: a.summary,
    labels: {},
  };
  return { tenant, source: 'alertmanager', dedupeKey: a.dedupeKey, origin: null, raw: { ...a }, parsed };
}

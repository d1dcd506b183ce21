// The kernel: what every capability shares — the store and its unit of work, the clock, the one
// durable scheduler, the event hub, the Slack surface (Bolt behind our own receivers), the command
// router, the HTTP routes and the tenant and staff directories — plus an install loop over the
// capabilities. Nothing here is specific to a capability; main.ts passes the list
// (src/capabilities/index.ts). See the README's "Architecture" section.
import { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Env } from './config/env.js';
import type { OpsbotConfig } from './config/schema.js';
import { type Clock, parseDuration, systemClock } from './domain/clock.js';
import { healthRoutes, type ReadinessCheck } from './http/health.js';
import { HttpServer, type Route } from './http/server.js';
import type { CaseTracker, EscalationTracker } from './integrations/ports.js';
import { CircuitBreaker } from './jobs/circuit-breaker.js';
import type { JobDefinition } from './jobs/definition.js';
import { Scheduler } from './jobs/scheduler.js';
import { slackLoggerFrom } from './logger.js';
import { EventHub } from './services/events.js';
import { contactResponders, Responders } from './services/responders.js';
import { StaffDirectory } from './services/staff-directory.js';
import { TenantDirectory } from './services/tenant-directory.js';
import { Timeline } from './services/timeline.js';
import { SlackDirectory } from './slack/directory.js';
import { registerFallbacks } from './slack/fallback.js';
import { type FilePort, fileUploadJob, SlackFiles, uploadUrlPoster } from './slack/files.js';
import { InboundGate } from './slack/inbound-gate.js';
import * as commands from './slack/listeners/commands/index.js';
import { CommandRouter, type Subcommand } from './slack/listeners/commands/router.js';
import { type SlackCall, SlackChat, slackCaller, slackCallJob } from './slack/outbox.js';
import { SlackHttpReceiver } from './slack/receivers/http-receiver.js';
import { SlackSocketReceiver } from './slack/receivers/socket-receiver.js';
import { SlackSurface, type SurfaceInventory } from './slack/surface.js';
import { AlarmStore } from './store/alarm-store.js';
import { type Db, openDatabase } from './store/db.js';
import { GroupCommit } from './store/group-commit.js';
import { InboundStore } from './store/inbound-store.js';
import { IncidentStore } from './store/incident-store.js';
import { JobStore } from './store/job-store.js';
import { LinkStore } from './store/link-store.js';
import { SilenceStore } from './store/silence-store.js';
import { TriageInbox } from './store/triage-inbox.js';
import { type UnitOfWork, unitOfWork } from './store/unit-of-work.js';
import { WalCheckpointer } from './store/wal-checkpointer.js';
import { WatermarkStore } from './store/watermark-store.js';

export interface OpsbotOptions {
  env: Env;
  config: OpsbotConfig;
  logger: Logger;
  clock?: Clock;
  /** Randomness for retry jitter; tests pass a fixed one. */
  random?: () => number;
  /** Socket Mode ping timeout, which also paces reconnects (SocketModeClient default 5 s). */
  socketPingTimeoutMs?: number;
  /** Salesforce and Jira adapters (main.ts builds them from SALESFORCE_* / JIRA_*); absent = off. */
  caseTracker?: CaseTracker;
  escalationTrackers?: Map<string, EscalationTracker>;
  /** main.ts verified the Slack token just before start: the platform does not ask again. */
  slackTokenVerified?: boolean;
}

/** Services capabilities offer each other by name (each capability module declares its own). */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by `declare module` in capability modules
export interface CapabilityApis {}

/** What a capability contributes; every part is optional. */
export interface Capability {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: a list of definitions holds many payload types
  jobs?: JobDefinition<any>[];
  commands?: Subcommand[];
  slack?: (surface: SlackSurface) => void;
  routes?: Route[];
  /** Named /readyz checks: true when ready. */
  readiness?: Record<string, ReadinessCheck>;
  /** Runs once at start, before the scheduler runs due jobs (queue recurring occurrences here). */
  start?: (now: number) => void | Promise<void>;
  /** At shutdown, after the HTTP server stopped taking requests and before the store closes. */
  stop?: () => void | Promise<void>;
  /** Work in hand that is not a job (the sandbox and tests wait for it as for due jobs). */
  busy?: () => boolean;
}

export type CapabilityFactory = (kernel: Kernel) => Capability;

/** Shared infrastructure handed to every capability factory. */
export class Kernel {
  readonly clock: Clock;
  readonly db: Db;
  /** WAL checkpoints on a worker thread, so that no commit on the event loop pays for one. */
  readonly checkpoints: WalCheckpointer | undefined;
  readonly tx: UnitOfWork;
  /** Shares one commit between the writes that must be durable before an acknowledgement. */
  readonly commits: GroupCommit;
  readonly jobs: JobStore;
  readonly scheduler: Scheduler;
  readonly events = new EventHub();
  readonly stores;
  readonly timeline: Timeline;
  readonly tenants: TenantDirectory;
  /** Who is paged for a tenant now: its contacts until a capability (on-call) plugs in schedules. */
  readonly responders: Responders;
  /**
   * Slack Web API for writes, behind a circuit breaker: no retries of its own (the scheduler owns
   * them durably), and while Slack keeps failing, jobs wait for it without spending attempts — a
   * Slack outage of any length delays cards and messages, it never dead-letters them.
   */
  readonly slackCall: SlackCall;
  readonly slackBreaker: CircuitBreaker;
  readonly chat: SlackChat;
  /** Files (CSV reports) posted to channels, as durable jobs behind the same breaker. */
  readonly files: FilePort;
  readonly directory: SlackDirectory;
  readonly staff: StaffDirectory;
  readonly router = new CommandRouter();
  private readonly apis = new Map<string, unknown>();
  /** Set by the transport: is Slack reachable for us right now? */
  slackConnected: () => boolean = () => false;

  constructor(readonly opts: OpsbotOptions) {
    const { env, config, logger } = opts;
    this.clock = opts.clock ?? systemClock;
    this.db = openDatabase(env.DATABASE_PATH);
    this.checkpoints =
      env.DATABASE_PATH === ':memory:'
        ? undefined
        : WalCheckpointer.start(this.db, env.DATABASE_PATH, logger.child({ component: 'store' }));
    this.tx = unitOfWork(this.db);
    this.commits = new GroupCommit(this.db);
    this.jobs = new JobStore(this.db);
    this.scheduler = new Scheduler({
      store: this.jobs,
      clock: this.clock,
      logger: logger.child({ component: 'jobs' }),
      maxAttempts: config.jobs.maxAttempts,
      backoff: { baseMs: config.jobs.backoffBaseSeconds * 1000, maxMs: config.jobs.backoffMaxSeconds * 1000 },
      concurrency: config.jobs.concurrency,
      random: opts.random,
    });
    this.stores = {
      incidents: new IncidentStore(this.db),
      alarms: new AlarmStore(this.db),
      triageInbox: new TriageInbox(this.db),
      silences: new SilenceStore(this.db),
      links: new LinkStore(this.db),
      watermarks: new WatermarkStore(this.db),
    };
    this.timeline = new Timeline({ incidents: this.stores.incidents, events: this.events });
    this.tenants = new TenantDirectory(config);
    this.responders = new Responders(contactResponders(this.tenants));
    const web = new WebClient(env.SLACK_BOT_TOKEN, {
      slackApiUrl: env.SLACK_API_URL,
      logger: slackLoggerFrom(logger, 'slack-web'),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 10_000,
    });
    this.slackBreaker = new CircuitBreaker({
      failureThreshold: config.integrations.breakerThreshold,
      openMs: parseDuration(config.integrations.breakerOpen) as number,
      maxOpenMs: 10 * 60_000,
    });
    const call = slackCaller(web);
    // Writes (chat.*, files.*) and reads are separate targets: a read that works (looking up a
    // card a failed post may have left) must not hide that posting keeps failing.
    this.slackCall = (method, args) =>
      this.slackBreaker.run(/^(chat|files)\./.test(method) ? 'slack' : 'slack-read', this.clock.now(), () =>
        call(method, args),
      );
    this.scheduler.define(slackCallJob(this.slackCall));
    this.chat = new SlackChat(this.scheduler);
    const postBytes = uploadUrlPoster();
    this.scheduler.define(
      fileUploadJob({
        call: this.slackCall,
        post: (url, file) => this.slackBreaker.run('slack', this.clock.now(), () => postBytes(url, file)),
        logger: logger.child({ component: 'slack-files' }),
      }),
    );
    this.files = new SlackFiles(this.scheduler);
    this.directory = new SlackDirectory(this.slackCall, logger.child({ component: 'slack-directory' }));
    this.staff = new StaffDirectory(config.staff.userIds, config.staff.userGroupIds, this.directory, logger);
  }

  get env(): Env {
    return this.opts.env;
  }

  get config(): OpsbotConfig {
    return this.opts.config;
  }

  get logger(): Logger {
    return this.opts.logger;
  }

  /** Offers a service to capabilities installed after this one. */
  provide<K extends keyof CapabilityApis>(name: K, api: CapabilityApis[K]): void {
    this.apis.set(name, api);
  }

  /** A service an earlier capability offered; installing in the wrong order fails at start. */
  need<K extends keyof CapabilityApis>(name: K): CapabilityApis[K] {
    if (!this.apis.has(name))
      throw new Error(`a capability needs "${String(name)}": install its provider first`);
    return this.apis.get(name) as CapabilityApis[K];
  }
}

/** A narrow read-only view for tests and the sandbox; production code never needs it. */
export interface BotInspection {
  readonly port: number;
  readonly inventory: SurfaceInventory;
  readonly incidents: Pick<IncidentStore, 'get' | 'listOpen' | 'timeline'>;
  readonly alarms: Pick<AlarmStore, 'rawCount'>;
  readonly jobs: Pick<JobStore, 'countByStatus' | 'getByKey'>;
  /** Nothing is being processed and no job is due at the current instant. */
  idle(): boolean;
}

/** Events acknowledged by a previous process but never processed are replayed if younger than this. */
const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The running bot: the kernel, its Slack transport and HTTP server, and the installed capabilities. */
export class Opsbot {
  private readonly kernel: Kernel;
  private readonly app: App;
  private readonly surface: SlackSurface;
  private readonly gate: InboundGate;
  private readonly socket: SlackSocketReceiver | undefined;
  private readonly http: HttpServer;
  private readonly installed: Capability[];
  private stopped = false;
  private port = 0;

  constructor(opts: OpsbotOptions, capabilities: CapabilityFactory[]) {
    this.kernel = new Kernel(opts);
    const k = this.kernel;
    const { env, logger } = opts;
    this.gate = new InboundGate(
      new InboundStore(k.db),
      k.clock,
      logger.child({ component: 'inbound' }),
      k.commits,
    );
    const routes: Route[] = [];
    let receiver: SlackHttpReceiver | SlackSocketReceiver;
    if (env.SLACK_MODE === 'http') {
      const http = new SlackHttpReceiver({
        signingSecret: env.SLACK_SIGNING_SECRET,
        bodyLimitBytes: opts.config.triage.bodyLimitBytes,
        clock: k.clock,
        gate: this.gate,
        logger: logger.child({ component: 'slack-http' }),
      });
      routes.push({ method: 'POST', path: '/slack/events', handle: (req, res) => http.handle(req, res) });
      receiver = http;
    } else {
      this.socket = new SlackSocketReceiver({
        appToken: env.SLACK_APP_TOKEN,
        slackApiUrl: env.SLACK_API_URL,
        gate: this.gate,
        logger: logger.child({ component: 'slack-socket' }),
        clientPingTimeoutMs: opts.socketPingTimeoutMs,
      });
      const socket = this.socket;
      receiver = socket;
      k.slackConnected = () => socket.connected;
    }
    this.app = new App({
      token: env.SLACK_BOT_TOKEN,
      receiver,
      logger: slackLoggerFrom(logger, 'bolt'),
      clientOptions: { slackApiUrl: env.SLACK_API_URL, retryConfig: { retries: 2 }, timeout: 10_000 },
    });
    this.app.error(async (error) => {
      logger.error({ err: error }, 'unhandled error in a Slack listener');
    });
    this.surface = new SlackSurface(this.app);

    const readiness: Record<string, ReadinessCheck> = {
      store: () => k.db.open && k.db.prepare('SELECT 1').get() !== undefined,
    };
    this.installed = capabilities.map((factory) => factory(k));
    for (const capability of this.installed) {
      for (const job of capability.jobs ?? []) k.scheduler.define(job);
      for (const command of capability.commands ?? []) k.router.add(command);
      capability.slack?.(this.surface);
      routes.push(...(capability.routes ?? []));
      Object.assign(readiness, capability.readiness);
    }
    commands.register(this.surface, { router: k.router, staff: k.staff });
    registerFallbacks(this.app, this.surface.inventory, k.chat);
    routes.push(...healthRoutes(readiness));
    this.http = new HttpServer(routes, logger.child({ component: 'http' }));
  }

  inspect(): BotInspection {
    const k = this.kernel;
    return {
      port: this.port,
      inventory: this.surface.inventory,
      incidents: k.stores.incidents,
      alarms: k.stores.alarms,
      jobs: k.jobs,
      idle: () =>
        this.gate.inFlight === 0 &&
        k.scheduler.isIdleNow() &&
        !this.installed.some((capability) => capability.busy?.()),
    };
  }

  async start(): Promise<void> {
    const k = this.kernel;
    this.port = await this.http.listen(k.env.PORT, k.env.HOST);
    k.logger.info({ port: this.port, mode: k.env.SLACK_MODE }, 'HTTP server listening');
    for (const capability of this.installed) await capability.start?.(k.clock.now());
    k.scheduler.start();
    await this.gate.replayUnfinished(this.app, REPLAY_WINDOW_MS);
    if (this.socket) await this.socket.start();
  }

  /** Graceful stop: no new events, let in-flight requests and jobs finish, close the store. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const k = this.kernel;
    if (this.socket)
      await this.socket
        .stop()
        .catch((error: unknown) => k.logger.warn({ err: error }, 'Socket Mode did not close cleanly'));
    await this.http.close();
    this.gate.flush();
    for (const capability of this.installed) await capability.stop?.();
    await k.scheduler.stop();
    await k.checkpoints?.stop();
    k.db.close();
    k.logger.info('stopped');
  }
}

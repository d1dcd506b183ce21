import { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Env } from './config/env.js';
import type { OpsbotConfig } from './config/schema.js';
import { toTriagePolicy } from './config/triage-schema.js';
import { type Clock, parseDuration, systemClock } from './domain/clock.js';
import { healthRoutes } from './http/health.js';
import { jiraWebhookRoute } from './http/jira-webhook.js';
import { HttpServer, type Route } from './http/server.js';
import { webhookRoutes } from './http/webhooks.js';
import type { CaseTracker, EscalationTracker } from './integrations/ports.js';
import { CircuitBreaker } from './jobs/circuit-breaker.js';
import { Scheduler } from './jobs/scheduler.js';
import { slackLoggerFrom } from './logger.js';
import { CaseService } from './services/integrations/case-service.js';
import { registerDeadLetterAlerts } from './services/integrations/dead-letters.js';
import type { IntegrationDeps } from './services/integrations/deps.js';
import { EscalationService } from './services/integrations/escalation-service.js';
import { StaffDirectory } from './services/staff-directory.js';
import { TenantDirectory } from './services/tenant-directory.js';
import { registerCardJobs } from './services/triage/card-jobs.js';
import { CardScheduler } from './services/triage/card-scheduler.js';
import { CardViewBuilder } from './services/triage/card-view.js';
import { UnclassifiedDigest } from './services/triage/digest.js';
import { IncidentActions } from './services/triage/incident-actions.js';
import { AlarmIntake } from './services/triage/intake.js';
import type { TriagePolicy } from './services/triage/policy.js';
import { SlackAlarmDoor } from './services/triage/slack-alarms.js';
import { InboundGate } from './slack/inbound-gate.js';
import * as incidentCard from './slack/listeners/actions/incident-card.js';
import * as commands from './slack/listeners/commands/index.js';
import { integrationCommands } from './slack/listeners/commands/integrations.js';
import { outboxCommand } from './slack/listeners/commands/outbox.js';
import { CommandRouter } from './slack/listeners/commands/router.js';
import { statusCommand } from './slack/listeners/commands/status.js';
import { triageCommands } from './slack/listeners/commands/triage.js';
import * as alarmMessages from './slack/listeners/events/alarm-messages.js';
import * as appMention from './slack/listeners/events/app-mention.js';
import * as sendToJira from './slack/listeners/shortcuts/send-to-jira.js';
import { type SlackCall, SlackOutbox, slackCaller } from './slack/outbox.js';
import { SlackHttpReceiver } from './slack/receivers/http-receiver.js';
import { SlackSocketReceiver } from './slack/receivers/socket-receiver.js';
import { SlackSurface } from './slack/surface.js';
import { AlarmStore } from './store/alarm-store.js';
import { type Db, openDatabase } from './store/db.js';
import { GroupCommit } from './store/group-commit.js';
import { InboundStore } from './store/inbound-store.js';
import { IncidentStore } from './store/incident-store.js';
import { JobStore } from './store/job-store.js';
import { LinkStore } from './store/link-store.js';
import { SilenceStore } from './store/silence-store.js';

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
}

/** Events acknowledged by a previous process but never processed are replayed if younger than this. */
const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;
const STAFF_REFRESH_MS = 15 * 60 * 1000;

/**
 * Composition root of the running bot: store → scheduler → Slack (Bolt + receiver) → HTTP.
 * `start` and `stop` are the only lifecycle; main.ts and the test harness both use this.
 */
export class Opsbot {
  readonly db: Db;
  readonly jobs: JobStore;
  readonly scheduler: Scheduler;
  readonly app: App;
  readonly surface: SlackSurface;
  readonly outbox: SlackOutbox;
  readonly slackCall: SlackCall;
  readonly router: CommandRouter;
  readonly clock: Clock;
  readonly tenants: TenantDirectory;
  readonly policy: TriagePolicy;
  readonly incidents: IncidentStore;
  readonly alarms: AlarmStore;
  readonly intake: AlarmIntake;
  private readonly digest: UnclassifiedDigest;
  readonly cases: CaseService;
  readonly escalations: EscalationService;
  private readonly http: HttpServer;
  private readonly gate: InboundGate;
  private readonly socket: SlackSocketReceiver | undefined;
  private readonly staff: StaffDirectory;
  private readonly webClient: WebClient;
  private slackAuthOk = false;
  private staffTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  port = 0;

  constructor(private readonly opts: OpsbotOptions) {
    const { env, config, logger } = opts;
    this.clock = opts.clock ?? systemClock;
    this.db = openDatabase(env.DATABASE_PATH);
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

    // Our own WebClient for writes: no built-in retries, the scheduler owns them durably.
    this.webClient = new WebClient(env.SLACK_BOT_TOKEN, {
      slackApiUrl: env.SLACK_API_URL,
      logger: slackLoggerFrom(logger, 'slack-web'),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 10_000,
    });
    this.slackCall = slackCaller(this.webClient);
    this.outbox = SlackOutbox.register(this.scheduler, this.slackCall);

    // Writes that must be durable before an acknowledgement share commits (see GroupCommit).
    const commits = new GroupCommit(this.db);
    this.gate = new InboundGate(
      new InboundStore(this.db),
      this.clock,
      logger.child({ component: 'inbound' }),
      commits,
    );
    const routes: Route[] = [];
    let receiver: SlackHttpReceiver | SlackSocketReceiver;
    if (env.SLACK_MODE === 'http') {
      const httpReceiver = new SlackHttpReceiver({
        signingSecret: env.SLACK_SIGNING_SECRET,
        clock: this.clock,
        gate: this.gate,
        logger: logger.child({ component: 'slack-http' }),
      });
      routes.push({
        method: 'POST',
        path: '/slack/events',
        handle: (req, res) => httpReceiver.handle(req, res),
      });
      receiver = httpReceiver;
    } else {
      this.socket = new SlackSocketReceiver({
        appToken: env.SLACK_APP_TOKEN,
        slackApiUrl: env.SLACK_API_URL,
        gate: this.gate,
        logger: logger.child({ component: 'slack-socket' }),
        clientPingTimeoutMs: opts.socketPingTimeoutMs,
      });
      receiver = this.socket;
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

    this.staff = new StaffDirectory(
      config.staff.userIds,
      config.staff.userGroupIds,
      {
        membersOf: async (usergroup) =>
          ((await this.webClient.usergroups.users.list({ usergroup })).users as string[] | undefined) ?? [],
      },
      logger,
    );
    // Alarm triage: stores → services → Slack listeners, webhooks and jobs.
    this.tenants = new TenantDirectory(config);
    this.policy = toTriagePolicy(config.triage);
    this.incidents = new IncidentStore(this.db);
    this.alarms = new AlarmStore(this.db);
    const silences = new SilenceStore(this.db);
    const cards = new CardScheduler({
      scheduler: this.scheduler,
      incidents: this.incidents,
      policy: this.policy,
    });
    this.intake = new AlarmIntake({
      db: this.db,
      alarms: this.alarms,
      incidents: this.incidents,
      silences,
      cards,
      policy: this.policy,
      clock: this.clock,
      logger: logger.child({ component: 'triage' }),
      commits,
    });
    // Salesforce and Jira: durable jobs behind a circuit breaker per target.
    const links = new LinkStore(this.db);
    const breaker = new CircuitBreaker({
      failureThreshold: config.integrations.breakerThreshold,
      openMs: parseDuration(config.integrations.breakerOpen) as number,
      maxOpenMs: 10 * 60_000,
    });
    const pollEveryMs = parseDuration(config.integrations.pollEvery) as number;
    // `reason` (the case number or issue key) keeps two refreshes at the same instant apart.
    const refreshCard = (incidentId: number, reason: string) =>
      cards.now(incidentId, `link:${reason}`, this.clock.now());
    const shared: IntegrationDeps = {
      scheduler: this.scheduler,
      incidents: this.incidents,
      links,
      tenants: this.tenants,
      breaker,
      chat: this.outbox,
      slackCall: this.slackCall,
      clock: this.clock,
      pollEveryMs,
      logger: logger.child({ component: 'integrations' }),
      refreshCard,
    };
    this.escalations = new EscalationService({ ...shared, trackers: opts.escalationTrackers ?? new Map() });
    this.cases = new CaseService({
      ...shared,
      tracker: opts.caseTracker,
      jobs: this.jobs,
      onCaseOpened: (incidentId) => this.escalations.maybeAutoEscalate(incidentId),
    });
    this.incidents.onTimeline((entry) => {
      // A severity raised after the card is out re-checks the tenant rules (before, the first post does).
      if (entry.kind === 'severity' && this.incidents.get(entry.incidentId)?.cardTs)
        this.applyTenantRules(entry.incidentId);
    });
    registerDeadLetterAlerts({
      scheduler: this.scheduler,
      incidents: this.incidents,
      tenants: this.tenants,
      chat: this.outbox,
      clock: this.clock,
    });
    const views = new CardViewBuilder({
      incidents: this.incidents,
      silences,
      tenants: this.tenants,
      links,
      integrations: {
        case: (tenantId) => status(this.cases.unavailable(tenantId)),
        escalate: (tenantId) => status(this.escalations.unavailable(tenantId)),
      },
    });
    registerCardJobs({
      scheduler: this.scheduler,
      incidents: this.incidents,
      silences,
      tenants: this.tenants,
      views,
      cards,
      slackCall: this.slackCall,
      chat: this.outbox,
      policy: this.policy,
      clock: this.clock,
      logger,
      onFirstPost: (incidentId) => this.applyTenantRules(incidentId),
    });
    const actions = new IncidentActions({
      db: this.db,
      incidents: this.incidents,
      silences,
      cards,
      clock: this.clock,
    });
    this.digest = new UnclassifiedDigest({
      scheduler: this.scheduler,
      alarms: this.alarms,
      tenants: this.tenants,
      chat: this.outbox,
      clock: this.clock,
      hour: this.policy.digestHour,
    });

    this.surface = new SlackSurface(this.app);
    this.router = new CommandRouter([
      ...triageCommands({
        incidents: this.incidents,
        silences,
        actions,
        views,
        tenants: this.tenants,
        clock: this.clock,
      }),
      ...integrationCommands({
        cases: this.cases,
        escalations: this.escalations,
        incidents: this.incidents,
        tenants: this.tenants,
      }),
      outboxCommand({ jobs: this.jobs, scheduler: this.scheduler, clock: this.clock }),
      statusCommand({ jobs: this.jobs, slackConnected: () => this.slackConnected(), mode: env.SLACK_MODE }),
    ]);
    commands.register(this.surface, { router: this.router, staff: this.staff });
    appMention.register(this.surface, { chat: this.outbox });
    alarmMessages.register(this.surface, {
      door: new SlackAlarmDoor({
        tenants: this.tenants,
        intake: this.intake,
        incidents: this.incidents,
        clock: this.clock,
      }),
      logger: logger.child({ component: 'alarms' }),
    });
    sendToJira.register(this.surface, {
      escalations: this.escalations,
      incidents: this.incidents,
      staff: this.staff,
      chat: this.outbox,
    });
    incidentCard.register(this.surface, {
      actions,
      integrations: {
        openCase: (id, user) => this.cases.request(id, user),
        escalate: (id, user) => this.escalations.request(id, user),
      },
      incidents: this.incidents,
      staff: this.staff,
      chat: this.outbox,
      logger,
    });

    routes.push(
      jiraWebhookRoute({
        secret: env.JIRA_WEBHOOK_SECRET,
        escalations: this.escalations,
        bodyLimitBytes: this.policy.bodyLimitBytes,
        logger: logger.child({ component: 'webhooks' }),
      }),
      ...webhookRoutes({
        db: this.db,
        tenants: this.tenants,
        intake: this.intake,
        tokens: env.WEBHOOK_TOKENS,
        bodyLimitBytes: this.policy.bodyLimitBytes,
        logger: logger.child({ component: 'webhooks' }),
      }),
    );
    routes.push(
      ...healthRoutes({
        store: () => this.db.open && this.db.prepare('SELECT 1').get() !== undefined,
        slack: () => this.slackConnected(),
      }),
    );
    this.http = new HttpServer(routes, logger.child({ component: 'http' }));
  }

  /** Tenant rules: Sev1/Sev2 get a case; Sev1 is escalated once its case exists (at once without Salesforce). */
  private applyTenantRules(incidentId: number): void {
    const incident = this.incidents.get(incidentId);
    const tenant = incident && this.tenants.tenant(incident.tenantId);
    if (!incident || !tenant || incident.status === 'resolved') return;
    if (!this.cases.unavailable(tenant.id)) {
      if (tenant.salesforce?.autoCaseSeverities.includes(incident.severity))
        this.cases.request(incident.id, null);
      else this.escalations.maybeAutoEscalate(incident.id);
    } else {
      this.escalations.maybeAutoEscalate(incident.id);
    }
  }

  /** Test/sandbox helper: nothing is being processed and no job is due now. */
  async whenIdle(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.scheduler.whenIdle(timeoutMs);
      if (this.gate.inFlight === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.gate.inFlight === 0 && this.scheduler.isIdleNow()) return;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      if (Date.now() > deadline) throw new Error('the bot did not become idle in time');
    }
  }

  slackConnected(): boolean {
    return this.socket ? this.socket.connected : this.slackAuthOk;
  }

  async start(): Promise<void> {
    const { env, logger } = this.opts;
    this.port = await this.http.listen(env.PORT, env.HOST);
    logger.info({ port: this.port, mode: env.SLACK_MODE }, 'HTTP server listening');
    this.scheduler.start();
    this.digest.ensureScheduled();
    this.cases.ensurePolling();
    this.escalations.ensurePolling();
    await this.gate.replayUnfinished(this.app, REPLAY_WINDOW_MS);
    void this.checkSlackAuth();
    await this.staff.refresh();
    this.staffTimer = setInterval(() => void this.staff.refresh(), STAFF_REFRESH_MS);
    this.staffTimer.unref();
    if (this.socket) await this.socket.start();
  }

  /** Graceful stop: no new events, let in-flight requests and jobs finish, close the store. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.staffTimer);
    if (this.socket) await this.socket.stop().catch(() => {});
    await this.http.close();
    this.gate.flush();
    await this.scheduler.stop();
    this.db.close();
    this.opts.logger.info('stopped');
  }

  /** auth.test proves the token works and Slack answers; in HTTP mode it is what "connected" means. */
  private async checkSlackAuth(attempt = 1): Promise<void> {
    try {
      const auth = await this.webClient.auth.test();
      this.slackAuthOk = true;
      this.opts.logger.info({ team: auth.team, botUser: auth.user_id }, 'Slack token verified');
    } catch (error) {
      this.slackAuthOk = false;
      const delayMs = Math.min(60_000, 1000 * 2 ** attempt);
      this.opts.logger.warn({ err: error, retryInMs: delayMs }, 'Slack auth.test failed; not ready yet');
      if (!this.stopped) setTimeout(() => void this.checkSlackAuth(attempt + 1), delayMs).unref();
    }
  }
}

function status(why: string | undefined): { enabled: boolean; why?: string } {
  return why ? { enabled: false, why } : { enabled: true };
}

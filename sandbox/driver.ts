// Drives the real bot the way Slack does: boots Opsbot (HTTP or Socket Mode) against the Slack
// stand-in with a fresh SQLite file and a fake clock, then delivers signed requests or Socket
// Mode envelopes. Shared by the sandbox (npm run sandbox) and the e2e harness, so both exercise
// exactly the production path: transport → Bolt → services → SQLite → outbox → Web API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { type BotInspection, Opsbot } from '../src/app.js';
import { CAPABILITIES } from '../src/capabilities/index.js';
import { type Env, parseEnv } from '../src/config/env.js';
import { loadConfigFile } from '../src/config/load.js';
import type { OpsbotConfig } from '../src/config/schema.js';
import { parseDuration } from '../src/domain/clock.js';
import type { CaseTracker, EscalationTracker } from '../src/integrations/ports.js';
import { createLogger } from '../src/logger.js';
import { FakeClock } from './fake-clock.js';
import { waitForIdle } from './idle.js';
import type { JiraStandIn } from './jira-standin/index.js';
import type { SalesforceStandIn } from './salesforce-standin/index.js';
import { SlackStandIn, type SlackStandIn as StandIn } from './slack-standin/index.js';
import type { StandInChannel, StandInUser, StandInUsergroup } from './slack-standin/types.js';
import {
  eventCallbackBody,
  interactivePayloadForm,
  newId,
  SANDBOX_IDS,
  signSlackRequest,
  slackTs,
  slashCommandForm,
  viewSubmissionPayload,
} from './slack-wire.js';

export type SlackTransport = 'http' | 'socket';

export interface DriverOptions {
  mode?: SlackTransport;
  configFile?: string;
  /** Reuse a database file (e.g. to restart on the same data); default: a fresh temp dir. */
  dbPath?: string;
  clock?: FakeClock;
  logger?: Logger;
  users?: StandInUser[];
  channels?: StandInChannel[];
  /** Slack user groups the stand-in knows (default: the config's on-call user groups, empty). */
  usergroups?: StandInUsergroup[];
  /** Fixed jitter for deterministic retry timing. */
  random?: () => number;
  /** Also start Salesforce and Jira stand-ins and connect the bot to them through the real adapters. */
  integrations?: boolean;
}

/** The Salesforce and Jira stand-ins of a sandbox run. */
export interface SandboxIntegrations {
  salesforce: SalesforceStandIn;
  jira: JiraStandIn;
  /** The real adapters pointed at the stand-ins (loaded only when integrations are on). */
  caseTracker: CaseTracker;
  escalationTrackers: Map<string, EscalationTracker>;
}

/** What the bot answered to one delivery: the HTTP response or the Socket Mode ack. */
export interface DeliveryResult {
  status: number;
  /** The acknowledgement payload (e.g. an ephemeral slash-command reply), if any. */
  body: Record<string, unknown> | undefined;
}

export const SIGNING_SECRET = 'sandbox-signing-secret-0123456789abcdef';
/** Webhook bearer tokens of the sandbox tenants. */
export const JIRA_WEBHOOK_SECRET = 'sandbox-jira-webhook-secret-123';
export const WEBHOOK_TOKENS: Record<string, string> = {
  nimbus: 'sandbox-webhook-token-nimbus',
  'helix-ai': 'sandbox-webhook-token-helix',
};
export const DEFAULT_CONFIG = 'config/sandbox.yaml';

export class SandboxDriver {
  private bot: Opsbot;
  private readonly ownDir: string | undefined;

  private constructor(
    readonly mode: SlackTransport,
    readonly slack: StandIn,
    readonly clock: FakeClock,
    readonly config: OpsbotConfig,
    private readonly env: Env,
    private readonly logger: Logger,
    private readonly random: (() => number) | undefined,
    ownDir: string | undefined,
    readonly integrations: SandboxIntegrations | undefined,
  ) {
    this.ownDir = ownDir;
    this.bot = this.newBot();
  }

  static async start(opts: DriverOptions = {}): Promise<SandboxDriver> {
    const mode = opts.mode ?? 'http';
    const clock = opts.clock ?? new FakeClock();
    const configFile = opts.configFile ?? DEFAULT_CONFIG;
    const loaded = loadConfigFile(configFile);
    if (!loaded.ok) throw new Error(`sandbox config is invalid:\n${loaded.problems.join('\n')}`);
    const config = loaded.config;
    const slack = await SlackStandIn.start({
      now: () => clock.now(),
      users: opts.users ?? defaultUsers(config),
      channels: opts.channels ?? sandboxChannels(config),
      usergroups: opts.usergroups ?? sandboxUsergroups(config),
    });
    const ownDir = opts.dbPath ? undefined : mkdtempSync(join(tmpdir(), 'opsbot-sandbox-'));
    const parsed = parseEnv({
      SLACK_MODE: mode,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: opts.dbPath ?? join(ownDir as string, 'opsbot.db'),
      CONFIG_FILE: configFile,
      LOG_LEVEL: 'silent',
      JIRA_WEBHOOK_SECRET: JIRA_WEBHOOK_SECRET,
      WEBHOOK_TOKENS: Object.entries(WEBHOOK_TOKENS)
        .map(([tenant, token]) => `${tenant}=${token}`)
        .join(','),
    });
    if (!parsed.ok) throw new Error(`sandbox env is invalid: ${parsed.problems.join('; ')}`);
    const logger = opts.logger ?? createLogger({ level: 'silent' });
    const integrations = opts.integrations ? await startIntegrations(config, clock) : undefined;
    const driver = new SandboxDriver(
      mode,
      slack,
      clock,
      config,
      parsed.env,
      logger,
      opts.random,
      ownDir,
      integrations,
    );
    await driver.startBot();
    return driver;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.inspect.port}`;
  }

  /** What tests may look at inside the running bot (read-only). */
  get inspect(): BotInspection {
    return this.bot.inspect();
  }

  get databasePath(): string {
    return this.env.DATABASE_PATH;
  }

  /** Delivers a slash command (`/opsbot <text>`) and returns the bot's acknowledgement. */
  async slashCommand(input: {
    user: string;
    channel: string;
    text: string;
    command?: string;
  }): Promise<DeliveryResult> {
    const fields = this.slack.slashCommand({
      command: input.command ?? '/opsbot',
      text: input.text,
      user_id: input.user,
      channel_id: input.channel,
    });
    if (this.mode === 'socket') return ackResult(await this.slack.socket.sendSlashCommand(fields));
    return this.postSigned(slashCommandForm(fields), 'application/x-www-form-urlencoded');
  }

  /**
   * Delivers an Events API event. Pass the same `eventId` with `retryNum` to re-deliver it
   * the way Slack retries (X-Slack-Retry-Num / retry_attempt).
   */
  async event(
    event: Record<string, unknown>,
    opts: { eventId?: string; retryNum?: number } = {},
  ): Promise<DeliveryResult & { eventId: string }> {
    const eventId = opts.eventId ?? newId('Ev');
    if (this.mode === 'socket') {
      const ack = await this.slack.socket.sendEventsApi(event, {
        eventId,
        retryAttempt: opts.retryNum ?? 0,
        retryReason: opts.retryNum ? 'timeout' : undefined,
      });
      return { ...ackResult(ack), eventId };
    }
    const body = eventCallbackBody(event, { teamId: SANDBOX_IDS.teamId, eventId, nowMs: this.clock.now() });
    const headers: Record<string, string> = {};
    if (opts.retryNum) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    return { ...(await this.postSigned(JSON.stringify(body), 'application/json', headers)), eventId };
  }

  /** A human message event in a channel (what Slack sends for message.channels). */
  message(input: {
    user: string;
    channel: string;
    text: string;
    threadTs?: string;
  }): Record<string, unknown> {
    const ts = slackTs(this.clock.now());
    return {
      type: 'message',
      channel: input.channel,
      user: input.user,
      text: input.text,
      ts,
      event_ts: ts,
      channel_type: 'channel',
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    };
  }

  /** Clicks a button on a message the bot posted. */
  async click(input: { user: string; channel: string; messageTs: string; actionId: string; value?: string }) {
    const payload = this.slack.blockActions(input);
    if (this.mode === 'socket') return ackResult(await this.slack.socket.sendInteractive(payload));
    return this.postSigned(interactivePayloadForm(payload), 'application/x-www-form-urlencoded');
  }

  /** A message in a channel: a person (`user`) or an integration (`botId`, subtype bot_message). */
  async postMessage(input: {
    channel: string;
    text?: string;
    user?: string;
    botId?: string;
    username?: string;
    attachments?: unknown[];
    blocks?: unknown[];
    threadTs?: string;
  }): Promise<DeliveryResult & { ts: string; eventId: string }> {
    // Slack message ts are unique in a channel: the stand-in mints them, like the bot's own posts.
    const ts = this.slack.mintTs();
    const event: Record<string, unknown> = {
      type: 'message',
      channel: input.channel,
      text: input.text ?? '',
      ts,
      event_ts: ts,
      channel_type: 'channel',
    };
    if (input.botId)
      Object.assign(event, {
        subtype: 'bot_message',
        bot_id: input.botId,
        username: input.username ?? 'vms',
      });
    else event.user = input.user ?? 'U0STAFF001';
    if (input.attachments) event.attachments = input.attachments;
    if (input.blocks) event.blocks = input.blocks;
    if (input.threadTs) event.thread_ts = input.threadTs;
    return { ...(await this.event(event)), ts };
  }

  /** A message shortcut (e.g. "Send to Jira") used on a message of a channel. */
  async messageShortcut(input: {
    user: string;
    channel: string;
    callbackId: string;
    /** The message it is used on: a bot message by ts, or a person's message given whole. */
    messageTs?: string;
    message?: { ts: string; thread_ts?: string; text: string; user: string };
  }) {
    const message = input.message ?? this.slack.messages(input.channel).find((m) => m.ts === input.messageTs);
    if (!message) throw new Error(`no message ${input.messageTs} in ${input.channel}`);
    const payload = {
      type: 'message_action',
      callback_id: input.callbackId,
      trigger_id: newId('T', 12),
      action_ts: slackTs(this.clock.now()),
      team: { id: SANDBOX_IDS.teamId, domain: SANDBOX_IDS.teamDomain },
      user: { id: input.user, name: input.user },
      channel: { id: input.channel, name: input.channel },
      message: {
        type: 'message',
        ts: message.ts,
        thread_ts: message.thread_ts,
        text: message.text,
        user: message.user,
      },
      response_url: `${this.slack.apiUrl.replace(/api\/$/, '')}hooks/actions/${SANDBOX_IDS.teamId}/1/x`,
      token: SANDBOX_IDS.verificationToken,
      is_enterprise_install: false,
    };
    if (this.mode === 'socket') return ackResult(await this.slack.socket.sendInteractive(payload));
    return this.postSigned(interactivePayloadForm(payload), 'application/x-www-form-urlencoded');
  }

  /** Submits a modal the bot opened, as the person would. */
  async submitView(input: {
    user: string;
    viewId?: string;
    values: Record<string, Record<string, string | string[]>>;
  }) {
    const views = this.slack.views();
    const view = input.viewId ? views.find((v) => v.id === input.viewId) : views.at(-1);
    if (!view) throw new Error('no modal is open to submit');
    const payload = viewSubmissionPayload({
      user: input.user,
      teamId: SANDBOX_IDS.teamId,
      view: { ...view, blocks: view.definition.blocks },
      values: input.values,
    });
    if (this.mode === 'socket') return ackResult(await this.slack.socket.sendInteractive(payload));
    return this.postSigned(interactivePayloadForm(payload), 'application/x-www-form-urlencoded');
  }

  /** POSTs a JSON body to an alarm webhook (`/webhooks/alertmanager/<tenant>` or `/webhooks/vms/<tenant>`). */
  async webhook(
    kind: 'alertmanager' | 'vms',
    tenant: string,
    body: unknown,
    opts: { token?: string | null; rawBody?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const token = opts.token === undefined ? WEBHOOK_TOKENS[tenant] : opts.token;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${this.baseUrl}/webhooks/${kind}/${tenant}`, {
      method: 'POST',
      headers,
      body: opts.rawBody ?? JSON.stringify(body),
    });
    const text = await response.text();
    // The door answers once the alarms are stored; triage follows within a second. Wait for it,
    // as a person would before looking, so that what comes next sees the incidents.
    await this.settle();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  /** Raw HTTP POST to /slack/events with explicit headers (for signature and replay tests). */
  async postRaw(body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${this.baseUrl}/slack/events`, { method: 'POST', body, headers });
  }

  /** Signs a body exactly as Slack does, at the fake clock's "now" unless told otherwise. */
  sign(body: string, timestampSec = Math.floor(this.clock.now() / 1000), secret = SIGNING_SECRET) {
    return signSlackRequest(secret, body, timestampSec);
  }

  /**
   * Moves time forward one wake-up at a time: at each instant a timer is due, the clock stops
   * and the jobs due then run before time moves on (so a job due at 13:00 runs at 13:00 and
   * what it schedules for 17:00 runs at 17:00, as in production).
   */
  async advance(by: string | number): Promise<void> {
    const ms = typeof by === 'number' ? by : parseDuration(by);
    if (ms === undefined) throw new Error(`not a duration: ${by}`);
    const target = this.clock.now() + ms;
    await this.settle();
    for (;;) {
      const next = this.clock.nextTimerAt();
      if (next === undefined || next > target) break;
      this.clock.setTime(Math.max(next, this.clock.now()));
      await this.settle();
    }
    this.clock.setTime(target);
    await this.settle();
  }

  /** Waits until the bot has no due work left (outbox drained up to "now"). */
  async settle(): Promise<void> {
    const bot = this.bot.inspect();
    await waitForIdle(() => bot.idle());
  }

  /** Stops the bot (as SIGTERM would) and starts a new process-equivalent on the same database. */
  async restart(between?: () => void | Promise<void>): Promise<void> {
    await this.bot.stop();
    await between?.();
    this.bot = this.newBot();
    await this.startBot();
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.slack.stop();
    await this.integrations?.salesforce.stop();
    await this.integrations?.jira.stop();
    if (this.ownDir) rmSync(this.ownDir, { recursive: true, force: true });
  }

  private newBot(): Opsbot {
    return new Opsbot(
      {
        env: this.env,
        config: this.config,
        logger: this.logger,
        clock: this.clock,
        random: this.random,
        // Reconnect within a few hundred ms instead of 5 s: the sandbox has no network latency.
        socketPingTimeoutMs: 300,
        ...(this.integrations
          ? {
              caseTracker: this.integrations.caseTracker,
              escalationTrackers: this.integrations.escalationTrackers,
            }
          : {}),
      },
      CAPABILITIES,
    );
  }

  private async startBot(): Promise<void> {
    await this.bot.start();
    if (this.mode === 'socket') await this.slack.socket.waitForConnection(1);
    await this.settle();
  }

  private async postSigned(
    body: string,
    contentType: string,
    extra: Record<string, string> = {},
  ): Promise<DeliveryResult> {
    const response = await this.postRaw(body, { 'content-type': contentType, ...this.sign(body), ...extra });
    const text = await response.text();
    let parsed: Record<string, unknown> | undefined;
    if (text) {
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = { text };
      }
    }
    return { status: response.status, body: parsed };
  }
}

function ackResult(ack: { payload: unknown }): DeliveryResult {
  const payload = ack.payload as Record<string, unknown> | undefined;
  return { status: 200, body: payload && Object.keys(payload).length > 0 ? payload : undefined };
}

/** Staff and contacts from the config, plus a customer user who sits in the shared channels. */
function defaultUsers(config: OpsbotConfig): StandInUser[] {
  const ids = new Set<string>(config.staff.userIds);
  for (const t of config.tenants) {
    ids.add(t.contacts.primary);
    if (t.contacts.secondary) ids.add(t.contacts.secondary);
    if (t.contacts.manager) ids.add(t.contacts.manager);
    if (t.contacts.csm) ids.add(t.contacts.csm);
  }
  // On-call people live in their region's zone (what /oncall and the DMs read from users.info).
  const zones = new Map<string, string>();
  for (const team of config.oncall?.teams ?? []) {
    for (const [region, roster] of Object.entries(team.regions)) {
      const zone = config.oncall?.regions.find((r) => r.name === region)?.zone;
      for (const id of [
        roster.manager,
        ...(roster.primary?.users ?? []),
        ...(roster.secondary?.users ?? []),
      ]) {
        ids.add(id);
        if (zone && !zones.has(id)) zones.set(id, zone);
      }
    }
    for (const id of [...(team.weekend?.primary?.users ?? []), ...(team.weekend?.secondary?.users ?? [])])
      ids.add(id);
  }
  return [
    ...[...ids].map((id, i) => ({
      id,
      name: `engineer${i + 1}`,
      real_name: `Engineer ${i + 1}`,
      ...(zones.has(id) ? { tz: zones.get(id) } : {}),
    })),
    { id: CUSTOMER_USER, name: 'customer.admin', real_name: 'Customer Admin' },
  ];
}

export const CUSTOMER_USER = 'U0CUSTOMR1';

/** The stand-in's channels: every channel of the config, named after its tenant and role. */
export function sandboxChannels(config: OpsbotConfig): StandInChannel[] {
  return [
    ...config.tenants.flatMap((t) => [
      ...t.channels.alarms.map((id, i) => ({ id, name: `${t.id}-alarms${i ? `-${i + 1}` : ''}` })),
      { id: t.channels.customer, name: `${t.id}-shared`, is_ext_shared: true },
      { id: t.channels.ops, name: `${t.id}-ops`, is_private: true },
    ]),
    ...(config.oncall?.teams ?? []).flatMap((t) =>
      t.channel ? [{ id: t.channel, name: `${t.id}-oncall` }] : [],
    ),
    ...(config.oncall?.opsChannel ? [{ id: config.oncall.opsChannel, name: 'oncall-ops' }] : []),
  ];
}

/** The config's on-call user groups, empty at the start. */
export function sandboxUsergroups(config: OpsbotConfig): StandInUsergroup[] {
  return (config.oncall?.userGroups ?? []).map((g) => ({ id: g.id, handle: g.handle }));
}

const SF_CLIENT = { id: 'sandbox-connected-app', secret: 'sandbox-client-secret' };
const JIRA_USER = { email: 'opsbot@vendor.example', apiToken: 'sandbox-jira-api-token' };

async function startIntegrations(config: OpsbotConfig, clock: FakeClock): Promise<SandboxIntegrations> {
  // Loaded on demand: the client libraries are heavy and most runs do not need them.
  const [{ SalesforceStandIn }, { JiraStandIn }, { SalesforceCaseTracker }, { JiraEscalationTracker }] =
    await Promise.all([
      import('./salesforce-standin/index.js'),
      import('./jira-standin/index.js'),
      import('../src/integrations/salesforce/adapter.js'),
      import('../src/integrations/jira/adapter.js'),
    ]);
  const accounts = config.tenants.flatMap((t) => (t.salesforce ? [t.salesforce.accountId] : []));
  const projects = [...new Set(config.tenants.map((t) => t.jira.projectKey))];
  const now = () => clock.now();
  const salesforce = await SalesforceStandIn.start({
    accounts,
    now,
    credentials: { clientId: SF_CLIENT.id, clientSecret: SF_CLIENT.secret },
  });
  const jira = await JiraStandIn.start({ projects, now, ...JIRA_USER });
  // The real adapters, pointed at the stand-ins (every base URL is configurable).
  const caseTracker = new SalesforceCaseTracker({
    auth: { flow: 'client_credentials', clientId: SF_CLIENT.id, clientSecret: SF_CLIENT.secret },
    loginUrl: salesforce.url,
    apiVersion: '62.0',
    externalIdField: 'Opsbot_Incident_Id__c',
    timeoutMs: 5000,
    now,
  });
  const tracker = new JiraEscalationTracker({
    baseUrl: jira.url,
    apiVersion: 3,
    auth: { kind: 'basic', email: JIRA_USER.email, apiToken: JIRA_USER.apiToken },
    timeoutMs: 5000,
    now,
  });
  return { salesforce, jira, caseTracker, escalationTrackers: new Map([['JIRA', tracker]]) };
}

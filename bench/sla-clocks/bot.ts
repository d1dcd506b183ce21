// What the SLA clock bench's two processes share: the bench config, the alarm, and the bot built
// exactly as SandboxDriver builds it (same env, same capabilities) but pointed at a Slack stand-in
// that may live in another process — so Slack keeps its messages when the bot is killed, as the
// real one does, and a post retried after the crash can find the copy that already went out.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { parse, stringify } from 'yaml';
import { CUSTOMER_USER, SIGNING_SECRET, WEBHOOK_TOKENS } from '../../sandbox/driver.js';
import type { FakeClock } from '../../sandbox/fake-clock.js';
import { waitForIdle } from '../../sandbox/idle.js';
import type { StandInUser } from '../../sandbox/slack-standin/types.js';
import { eventCallbackBody, SANDBOX_IDS, signSlackRequest } from '../../sandbox/slack-wire.js';
import { Opsbot } from '../../src/app.js';
import { CAPABILITIES } from '../../src/capabilities/index.js';
import { parseEnv } from '../../src/config/env.js';
import type { OpsbotConfig } from '../../src/config/schema.js';

export const MINUTE = 60_000;
/** vega's Sev1 contract (config/sandbox.yaml, defaults): reminders at 10, 20, 25 min, target 30. */
export const REMINDER_MINUTES = [10, 20, 25] as const;
export const TARGET_MINUTES = 30;
// 03:00 on a Saturday in Portland: Sev1 is covered around the clock, no digest or handoff is due.
export const T0 = Date.parse('2026-12-05T11:00:00Z');
export const ALARM_CHANNEL = 'C0VEGAALRM';
export const VMS_BOT = 'B0VMSINTG1';

/** config/sandbox.yaml with alarms grouped per component, so each D-node down is its own incident. */
export function benchConfig(dir: string): string {
  const base = parse(readFileSync('config/sandbox.yaml', 'utf8')) as Record<string, unknown>;
  const path = join(dir, 'bench-sla.yaml');
  writeFileSync(
    path,
    stringify({ ...base, triage: { groupBy: ['tenant', 'cluster', 'category', 'component_id'] } }),
  );
  return path;
}

/** The VMS integration's Sev1 alarm for D-node `i` of vega's cluster (one incident each). */
export const dnodeDown = (i: number) =>
  `:red_circle: [CRITICAL] pdx-obj-01 (Portland) DNODE_DOWN dnode-${i}: D-node dnode-${i} is not responding`;

/** Staff, the tenants' contacts and a customer: who the stand-in knows (as SandboxDriver's default). */
export function standInUsers(config: OpsbotConfig): StandInUser[] {
  const ids = new Set<string>(config.staff.userIds);
  for (const t of config.tenants)
    for (const id of [t.contacts.primary, t.contacts.secondary, t.contacts.manager, t.contacts.csm])
      if (id) ids.add(id);
  return [
    ...[...ids].map((id, i) => ({ id, name: `engineer${i + 1}`, real_name: `Engineer ${i + 1}` })),
    { id: CUSTOMER_USER, name: 'customer.admin', real_name: 'Customer Admin' },
  ];
}

export interface BotSpec {
  dbPath: string;
  configFile: string;
  apiUrl: string;
  botToken: string;
  appToken: string;
}

/** The bot SandboxDriver would start (HTTP mode, port 0), on this database and this stand-in. */
export function newBot(spec: BotSpec, config: OpsbotConfig, clock: FakeClock, logger: Logger): Opsbot {
  const parsed = parseEnv({
    SLACK_MODE: 'http',
    SLACK_BOT_TOKEN: spec.botToken,
    SLACK_APP_TOKEN: spec.appToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: spec.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_PATH: spec.dbPath,
    CONFIG_FILE: spec.configFile,
    LOG_LEVEL: 'silent',
    WEBHOOK_TOKENS: Object.entries(WEBHOOK_TOKENS)
      .map(([tenant, token]) => `${tenant}=${token}`)
      .join(','),
  });
  if (!parsed.ok) throw new Error(`bench env is invalid: ${parsed.problems.join('; ')}`);
  return new Opsbot({ env: parsed.env, config, logger, clock }, CAPABILITIES);
}

/** Waits until the bot has nothing running and nothing due at the current fake instant. */
export function settled(bot: Opsbot, timeoutMs = 600_000): Promise<void> {
  const inspection = bot.inspect();
  return waitForIdle(() => inspection.idle(), timeoutMs);
}

/** Slack's Events API delivery of the VMS integration's alarm messages, signed, to one bot. */
export class SlackDoor {
  private lastMicros = 0;
  private events = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly clock: FakeClock,
  ) {}

  async alarm(text: string): Promise<void> {
    const micros = Math.max(Math.floor(this.clock.now() * 1000), this.lastMicros + 100);
    this.lastMicros = micros;
    const ts = `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
    const event = {
      type: 'message',
      subtype: 'bot_message',
      bot_id: VMS_BOT,
      username: 'VMS',
      channel: ALARM_CHANNEL,
      text,
      ts,
      event_ts: ts,
      channel_type: 'channel',
    };
    const eventId = `Ev0SLA${(this.events++).toString(36).toUpperCase().padStart(8, '0')}`;
    const body = JSON.stringify(
      eventCallbackBody(event, { teamId: SANDBOX_IDS.teamId, eventId, nowMs: this.clock.now() }),
    );
    const response = await fetch(`${this.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signSlackRequest(SIGNING_SECRET, body, Math.floor(this.clock.now() / 1000)),
      },
      body,
    });
    await response.text();
    if (response.status !== 200) throw new Error(`the Slack door answered ${response.status}`);
  }
}

// A bot in a process of its own, built exactly as SandboxDriver builds it (same env, same
// capabilities) but pointed at a Slack stand-in that may live in another process: the SLA bench
// kills such a process for real, and the long-run bench reads its RSS without the harness's.
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { CUSTOMER_USER, SIGNING_SECRET, WEBHOOK_TOKENS } from '../sandbox/driver.js';
import { FakeClock } from '../sandbox/fake-clock.js';
import { waitForIdle } from '../sandbox/idle.js';
import type { StandInUser } from '../sandbox/slack-standin/types.js';
import { Opsbot } from '../src/app.js';
import { CAPABILITIES } from '../src/capabilities/index.js';
import { parseEnv } from '../src/config/env.js';
import { loadConfigFile } from '../src/config/load.js';
import type { OpsbotConfig } from '../src/config/schema.js';
import { createLogger } from '../src/logger.js';

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

/** This process's loader flags (tsx) without profiling flags, for a forked bench child. */
export const childExecArgv = () =>
  process.execArgv.filter(
    (a, i, all) => !/^--(cpu|heap)-prof/.test(a) && !/^--(cpu|heap)-prof-dir$/.test(all[i - 1] ?? ''),
  );

/**
 * The environment a forked bench child runs the bot in: this one's, with the allocator setting the
 * image sets (Dockerfile: MALLOC_ARENA_MAX=2), so that memory is measured as deployed.
 */
export const childEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  MALLOC_ARENA_MAX: '2',
  ...extra,
});

/** The path of a bench child module next to `base` (an import.meta.url). */
export const childPath = (relative: string, base: string) => fileURLToPath(new URL(relative, base));

/**
 * In a forked bench child: reads its spec from the JSON in env var `specVar`, starts the bot on a
 * fake clock set to `startMs(spec)`, and waits until it has settled.
 */
export async function startChildBot<S extends BotSpec>(
  specVar: string,
  startMs: (spec: S) => number,
): Promise<{ spec: S; clock: FakeClock; bot: Opsbot }> {
  const spec = JSON.parse(process.env[specVar] ?? '') as S;
  const loaded = loadConfigFile(spec.configFile);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const clock = new FakeClock(startMs(spec));
  const bot = newBot(spec, loaded.config, clock, createLogger({ level: 'silent' }));
  await bot.start();
  await settled(bot);
  return { spec, clock, bot };
}

/** In a forked bench child: sends `message` to the parent; resolves once it is on its way. */
export const sendToParent = <M>(message: M) =>
  new Promise<void>((resolve, reject) =>
    process.send?.(message, (e: Error | null) => (e ? reject(e) : resolve())),
  );

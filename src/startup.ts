import { type Env, parseEnv } from './config/env.js';
import { loadConfigFile } from './config/load.js';
import type { OpsbotConfig } from './config/schema.js';

export type Startup = { ok: true; env: Env; config: OpsbotConfig } | { ok: false; problems: string[] };

/**
 * Reads env and the config file and reports every problem of both at once
 * (an operator fixing a deployment should not discover them one restart at a time).
 */
export function readStartup(processEnv: Record<string, string | undefined>): Startup {
  const env = parseEnv(processEnv);
  const configPath = env.ok ? env.env.CONFIG_FILE : (processEnv.CONFIG_FILE ?? './config/opsbot.yaml');
  const config = loadConfigFile(configPath);
  const problems = [...(env.ok ? [] : env.problems), ...(config.ok ? [] : config.problems)];
  if (!env.ok || !config.ok) return { ok: false, problems };
  return { ok: true, env: env.env, config: config.config };
}

import { type Env, parseEnv } from './config/env.js';
import { loadConfigFile } from './config/load.js';
import type { OpsbotConfig } from './config/schema.js';
import { systemClock } from './domain/clock.js';
import { integrationsFromEnv } from './integrations/from-env.js';
import type { CaseTracker, EscalationTracker } from './integrations/ports.js';

export type Startup =
  | {
      ok: true;
      env: Env;
      config: OpsbotConfig;
      caseTracker: CaseTracker | undefined;
      escalationTrackers: Map<string, EscalationTracker>;
    }
  | { ok: false; problems: string[] };

/**
 * Reads env and the config file and reports every problem of both at once
 * (an operator fixing a deployment should not discover them one restart at a time).
 */
export async function readStartup(processEnv: Record<string, string | undefined>): Promise<Startup> {
  const env = parseEnv(processEnv);
  const configPath = env.ok ? env.env.CONFIG_FILE : (processEnv.CONFIG_FILE ?? './config/opsbot.yaml');
  const config = loadConfigFile(configPath);
  const problems = [...(env.ok ? [] : env.problems), ...(config.ok ? [] : config.problems)];
  if (!env.ok || !config.ok) return { ok: false, problems };
  const integrations = await integrationsFromEnv(processEnv, config.config, systemClock);
  if (!integrations.ok) return { ok: false, problems: integrations.problems };
  const unknownTokens = Object.keys(env.env.WEBHOOK_TOKENS).filter(
    (id) => !config.config.tenants.some((t) => t.id === id),
  );
  if (unknownTokens.length > 0) {
    return {
      ok: false,
      problems: unknownTokens.map((id) => `WEBHOOK_TOKENS: names tenant "${id}", which is not in the config`),
    };
  }
  return {
    ok: true,
    env: env.env,
    config: config.config,
    caseTracker: integrations.caseTracker,
    escalationTrackers: integrations.escalationTrackers,
  };
}

import { type Env, envDescriptions, parseEnv, splitWebhookTokens } from './config/env.js';
import { loadConfigFile } from './config/load.js';
import type { OpsbotConfig } from './config/schema.js';
import { systemClock } from './domain/clock.js';
import {
  buildIntegrations,
  DEFAULT_JIRA_SITE,
  integrationSettingsFromEnv,
  jiraSitesOf,
  unconfiguredJiraSites,
  unconfiguredJiraSiteWarning,
} from './integrations/from-env.js';
import type { CaseTracker, EscalationTracker } from './integrations/ports.js';

export type Startup =
  | {
      ok: true;
      env: Env;
      config: OpsbotConfig;
      caseTracker: CaseTracker | undefined;
      escalationTrackers: Map<string, EscalationTracker>;
      /** Things that do not stop the bot but an operator should hear about (log them at warn). */
      warnings: string[];
    }
  | { ok: false; problems: string[] };

/**
 * Reads env, the config file and the Salesforce/Jira variables, and reports every problem of all
 * of them at once (an operator fixing a deployment should not discover them one restart at a
 * time). The cross checks (Jira sites, webhook tenants) use whatever part of the config could be
 * read, so they still run when another part of the file is wrong.
 */
export async function readStartup(processEnv: Record<string, string | undefined>): Promise<Startup> {
  const env = parseEnv(processEnv);
  const configPath = env.ok ? env.env.CONFIG_FILE : (processEnv.CONFIG_FILE ?? './config/opsbot.yaml');
  const config = loadConfigFile(configPath);
  const known = config.ok ? fromConfig(config.config) : fromRawConfig(config.data);

  const ownedByEnvSchema = new Set(envDescriptions().map((d) => d.name));
  const integrations = integrationSettingsFromEnv(
    processEnv,
    known.jiraSites,
    () => systemClock.now(),
    ownedByEnvSchema,
  );

  // Well-formed entries even when another variable failed; parseEnv reports the malformed ones.
  const tokens = env.ok ? env.env.WEBHOOK_TOKENS : splitWebhookTokens(processEnv.WEBHOOK_TOKENS).tokens;
  const unknownTokens =
    known.tenantIds === undefined ? [] : Object.keys(tokens).filter((id) => !known.tenantIds?.includes(id));

  const problems = [
    ...(env.ok ? [] : env.problems),
    ...(config.ok ? [] : config.problems),
    ...(integrations.ok ? [] : integrations.problems),
    ...unknownTokens.map((id) => `WEBHOOK_TOKENS: names tenant "${id}", which is not in the config`),
  ];
  if (!env.ok || !config.ok || !integrations.ok || problems.length > 0) return { ok: false, problems };

  const { caseTracker, escalationTrackers } = await buildIntegrations(integrations.settings);
  return {
    ok: true,
    env: env.env,
    config: config.config,
    caseTracker,
    escalationTrackers,
    warnings: unconfiguredJiraSites(config.config, processEnv).map((use) => unconfiguredJiraSiteWarning(use)),
  };
}

interface KnownFromConfig {
  /** undefined when not even the tenant list could be read: skip the checks that need it. */
  tenantIds: string[] | undefined;
  jiraSites: string[];
}

function fromConfig(config: OpsbotConfig): KnownFromConfig {
  return { tenantIds: config.tenants.map((t) => t.id), jiraSites: jiraSitesOf(config) };
}

/** Best effort over YAML that failed the schema: only values of the right shape are used. */
function fromRawConfig(data: unknown): KnownFromConfig {
  const tenants = isRecord(data) && Array.isArray(data.tenants) ? data.tenants.filter(isRecord) : undefined;
  if (tenants === undefined) return { tenantIds: undefined, jiraSites: [DEFAULT_JIRA_SITE] };
  const sites = tenants.map((t) => {
    const site = isRecord(t.jira) ? t.jira.site : undefined;
    return typeof site === 'string' && /^[A-Z][A-Z0-9_]*$/.test(site) ? site : DEFAULT_JIRA_SITE;
  });
  return {
    tenantIds: tenants.map((t) => t.id).filter((id): id is string => typeof id === 'string'),
    jiraSites: [...new Set(sites.length > 0 ? sites : [DEFAULT_JIRA_SITE])],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Builds the Salesforce and Jira adapters from the environment (main.ts), one readable problem
// per bad variable. A system whose base variable is unset is simply off, and its client library
// is never loaded (jira.js and jsforce together weigh ~100 MB of memory).
//
// Checking (integrationSettingsFromEnv) is separate from building (buildIntegrations) so start-up
// can check these variables even when the config file failed, and list every problem at once.
import type { Logger } from 'pino';
import { isPlaceholder, placeholderProblem } from '../config/placeholders.js';
import type { OpsbotConfig } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import { type JiraSettings, jiraSettingsFromEnv } from './jira/settings.js';
import type { CaseTracker, EscalationTracker } from './ports.js';
import { type SalesforceSettings, salesforceSettingsFromEnv } from './salesforce/settings.js';

/** The Jira site a tenant without `jira.site` uses (the schema's default). */
export const DEFAULT_JIRA_SITE = 'JIRA';

export interface IntegrationSettings {
  salesforce: SalesforceSettings | undefined;
  /** Only the sites whose `<site>_BASE_URL` is set; a site missing here is off. */
  jira: Map<string, JiraSettings>;
}

export type IntegrationSettingsResult =
  | { ok: true; settings: IntegrationSettings }
  | { ok: false; problems: string[] };

export type Integrations =
  | { ok: true; caseTracker: CaseTracker | undefined; escalationTrackers: Map<string, EscalationTracker> }
  | { ok: false; problems: string[] };

/** The distinct Jira sites the tenants use, in the order they first appear. */
export function jiraSitesOf(config: Pick<OpsbotConfig, 'tenants'>): string[] {
  return [...new Set(config.tenants.map((t) => t.jira.site))];
}

/**
 * Reads SALESFORCE_* and `<site>_*` for each site, and refuses any of them still holding an
 * example value from .env.example. Every problem of every system at once.
 * `ownedElsewhere` names variables another parser already reports (JIRA_WEBHOOK_SECRET belongs to
 * the env schema), so no variable gets two lines.
 */
export function integrationSettingsFromEnv(
  env: Record<string, string | undefined>,
  sites: readonly string[],
  now: () => number,
  ownedElsewhere: ReadonlySet<string> = new Set(),
): IntegrationSettingsResult {
  const problems: string[] = [];

  const prefixes = ['SALESFORCE', ...sites];
  const placeholders = Object.keys(env)
    .filter((name) => !ownedElsewhere.has(name) && prefixes.some((p) => name.startsWith(`${p}_`)))
    .filter((name) => isPlaceholder(env[name]))
    .sort();
  problems.push(...placeholders.map((name) => placeholderProblem(name)));
  // The parsers below may complain about the same values in their own words; one line is enough.
  const mentions = placeholders.map((name) => new RegExp(`\\b${name}\\b`));
  const add = (more: string[]) => problems.push(...more.filter((p) => !mentions.some((m) => m.test(p))));

  const sf = salesforceSettingsFromEnv(env, { now });
  if (!sf.ok) add(sf.problems);
  const jira = new Map<string, JiraSettings>();
  for (const site of sites) {
    const result = jiraSettingsFromEnv(env, site, now);
    if (!result.ok) add(result.problems);
    else if (result.settings) jira.set(site, result.settings);
  }
  if (problems.length > 0 || !sf.ok) return { ok: false, problems };
  return { ok: true, settings: { salesforce: sf.settings, jira } };
}

/** Loads the client libraries only for the systems that are on. */
export async function buildIntegrations(
  settings: IntegrationSettings,
  logger?: Logger,
): Promise<{ caseTracker: CaseTracker | undefined; escalationTrackers: Map<string, EscalationTracker> }> {
  let caseTracker: CaseTracker | undefined;
  if (settings.salesforce) {
    const { SalesforceCaseTracker } = await import('./salesforce/adapter.js');
    caseTracker = new SalesforceCaseTracker(settings.salesforce, { logger });
  }
  const escalationTrackers = new Map<string, EscalationTracker>();
  for (const [site, jira] of settings.jira) {
    const { JiraEscalationTracker } = await import('./jira/adapter.js');
    escalationTrackers.set(site, new JiraEscalationTracker(jira));
  }
  return { caseTracker, escalationTrackers };
}

export async function integrationsFromEnv(
  env: Record<string, string | undefined>,
  config: OpsbotConfig,
  clock: Clock,
  logger?: Logger,
): Promise<Integrations> {
  const checked = integrationSettingsFromEnv(env, jiraSitesOf(config), () => clock.now());
  if (!checked.ok) return checked;
  return { ok: true, ...(await buildIntegrations(checked.settings, logger)) };
}

export interface JiraSiteUse {
  site: string;
  /** Index and id of a tenant that names the site, for the message. */
  tenantIndex: number;
  tenantIds: string[];
}

/**
 * Sites that tenants name explicitly (anything but the default JIRA) whose `<site>_BASE_URL` is
 * unset: the config is valid, but every escalation of those tenants would answer "Jira is not
 * configured". Running without Jira on the default site is a normal choice and is not warned about.
 */
export function unconfiguredJiraSites(
  config: Pick<OpsbotConfig, 'tenants'>,
  env: Record<string, string | undefined>,
): JiraSiteUse[] {
  const uses = new Map<string, JiraSiteUse>();
  config.tenants.forEach((tenant, index) => {
    const site = tenant.jira.site;
    if (site === DEFAULT_JIRA_SITE || env[`${site}_BASE_URL`]?.trim()) return;
    const use = uses.get(site) ?? { site, tenantIndex: index, tenantIds: [] };
    use.tenantIds.push(tenant.id);
    uses.set(site, use);
  });
  return [...uses.values()];
}

/** The warning line for one unconfigured site; `where` is a location prefix such as "file:12". */
export function unconfiguredJiraSiteWarning(use: JiraSiteUse, where?: string): string {
  const path = `tenants[${use.tenantIndex}].jira.site`;
  const tenants = use.tenantIds.join(', ');
  return (
    `${where ? `${where}: ` : ''}${path}: ${use.site} has no ${use.site}_BASE_URL in the environment, ` +
    `so escalations of ${tenants} will say Jira is not configured; set ${use.site}_BASE_URL and its ` +
    `credentials (${use.site}_EMAIL + ${use.site}_API_TOKEN, or ${use.site}_PAT; see .env.example)`
  );
}

// Builds the Salesforce and Jira adapters from the environment (main.ts), one readable problem
// per bad variable. A system whose base variable is unset is simply off.
import type { Logger } from 'pino';
import type { OpsbotConfig } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import { JiraEscalationTracker, jiraSettingsFromEnv } from './jira/index.js';
import type { CaseTracker, EscalationTracker } from './ports.js';
import { SalesforceCaseTracker, salesforceSettingsFromEnv } from './salesforce/adapter.js';

export type Integrations =
  | { ok: true; caseTracker: CaseTracker | undefined; escalationTrackers: Map<string, EscalationTracker> }
  | { ok: false; problems: string[] };

export function integrationsFromEnv(
  env: Record<string, string | undefined>,
  config: OpsbotConfig,
  clock: Clock,
  logger?: Logger,
): Integrations {
  const problems: string[] = [];
  const now = () => clock.now();
  const sf = salesforceSettingsFromEnv(env, { now });
  let caseTracker: CaseTracker | undefined;
  if (!sf.ok) problems.push(...sf.problems);
  else if (sf.settings) caseTracker = new SalesforceCaseTracker(sf.settings, { logger });

  const escalationTrackers = new Map<string, EscalationTracker>();
  const sites = new Set(config.tenants.map((t) => t.jira.site));
  for (const site of sites) {
    const jira = jiraSettingsFromEnv(env, site, now);
    if (!jira.ok) problems.push(...jira.problems);
    else if (jira.settings) escalationTrackers.set(site, new JiraEscalationTracker(jira.settings));
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, caseTracker, escalationTrackers };
}

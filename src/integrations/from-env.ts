// Builds the Salesforce and Jira adapters from the environment (main.ts), one readable problem
// per bad variable. A system whose base variable is unset is simply off, and its client library
// is never loaded (jira.js and jsforce together weigh ~100 MB of memory).
import type { Logger } from 'pino';
import type { OpsbotConfig } from '../config/schema.js';
import type { Clock } from '../domain/clock.js';
import { jiraSettingsFromEnv } from './jira/settings.js';
import type { CaseTracker, EscalationTracker } from './ports.js';
import { salesforceSettingsFromEnv } from './salesforce/settings.js';

export type Integrations =
  | { ok: true; caseTracker: CaseTracker | undefined; escalationTrackers: Map<string, EscalationTracker> }
  | { ok: false; problems: string[] };

export async function integrationsFromEnv(
  env: Record<string, string | undefined>,
  config: OpsbotConfig,
  clock: Clock,
  logger?: Logger,
): Promise<Integrations> {
  const problems: string[] = [];
  const now = () => clock.now();
  const sf = salesforceSettingsFromEnv(env, { now });
  const jiraSites = [...new Set(config.tenants.map((t) => t.jira.site))].map(
    (site) => [site, jiraSettingsFromEnv(env, site, now)] as const,
  );
  if (!sf.ok) problems.push(...sf.problems);
  for (const [, jira] of jiraSites) if (!jira.ok) problems.push(...jira.problems);
  if (problems.length > 0) return { ok: false, problems };

  let caseTracker: CaseTracker | undefined;
  if (sf.ok && sf.settings) {
    const { SalesforceCaseTracker } = await import('./salesforce/adapter.js');
    caseTracker = new SalesforceCaseTracker(sf.settings, { logger });
  }
  const escalationTrackers = new Map<string, EscalationTracker>();
  for (const [site, jira] of jiraSites) {
    if (!jira.ok || !jira.settings) continue;
    const { JiraEscalationTracker } = await import('./jira/adapter.js');
    escalationTrackers.set(site, new JiraEscalationTracker(jira.settings));
  }
  return { ok: true, caseTracker, escalationTrackers };
}

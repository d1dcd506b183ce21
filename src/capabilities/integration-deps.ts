// What the cases and escalations capabilities both build from the kernel: the services' shared
// deps, with a circuit breaker per outside target (Salesforce, each Jira site).
import type { Kernel } from '../app.js';
import { parseDuration } from '../domain/clock.js';
import { CircuitBreaker } from '../jobs/circuit-breaker.js';
import type { IntegrationDeps } from '../services/integrations/deps.js';

export function integrationDeps(k: Kernel): IntegrationDeps {
  const { integrations } = k.config;
  return {
    scheduler: k.scheduler,
    jobs: k.jobs,
    incidents: k.stores.incidents,
    timeline: k.timeline,
    events: k.events,
    links: k.stores.links,
    watermarks: k.stores.watermarks,
    tenants: k.tenants,
    breaker: new CircuitBreaker({
      failureThreshold: integrations.breakerThreshold,
      openMs: parseDuration(integrations.breakerOpen) as number,
      maxOpenMs: 10 * 60_000,
    }),
    chat: k.chat,
    permalinks: k.directory,
    people: k.directory,
    clock: k.clock,
    pollEveryMs: parseDuration(integrations.pollEvery) as number,
    logger: k.logger.child({ component: 'integrations' }),
  };
}

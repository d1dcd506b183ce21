import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import type { CircuitBreaker } from '../../jobs/circuit-breaker.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { ChatSender, SlackCall } from '../../slack/outbox.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { LinkStore } from '../../store/link-store.js';
import type { TenantDirectory } from '../tenant-directory.js';

/** What the case and escalation services both need: built once in app.ts, shared by both. */
export interface IntegrationDeps {
  scheduler: Scheduler;
  incidents: IncidentStore;
  links: LinkStore;
  tenants: TenantDirectory;
  breaker: CircuitBreaker;
  chat: ChatSender;
  slackCall: SlackCall;
  clock: Clock;
  pollEveryMs: number;
  logger: Logger;
  /** The card shows the link: re-render it (`reason` keeps two refreshes at one instant apart). */
  refreshCard: (incidentId: number, reason: string) => void;
}

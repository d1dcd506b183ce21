import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import type { CircuitBreaker } from '../../jobs/circuit-breaker.js';
import type { Scheduler } from '../../jobs/scheduler.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { JobStore } from '../../store/job-store.js';
import type { LinkStore } from '../../store/link-store.js';
import type { WatermarkStore } from '../../store/watermark-store.js';
import type { EventHub } from '../events.js';
import type { ChatPort, PeopleDirectory, Permalinks } from '../ports.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { Timeline } from '../timeline.js';

/** What the case and escalation services both need: built once per capability from the kernel. */
export interface IntegrationDeps {
  scheduler: Scheduler;
  jobs: JobStore;
  incidents: IncidentStore;
  timeline: Timeline;
  events: EventHub;
  links: LinkStore;
  watermarks: WatermarkStore;
  tenants: TenantDirectory;
  breaker: CircuitBreaker;
  chat: ChatPort;
  permalinks: Permalinks;
  people: PeopleDirectory;
  clock: Clock;
  pollEveryMs: number;
  logger: Logger;
}

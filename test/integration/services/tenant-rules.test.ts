import { afterEach, describe, expect, it } from 'vitest';
import type { OpsbotConfig } from '../../../src/config/schema.js';
import type { EscalationTracker } from '../../../src/integrations/ports.js';
import { ESCALATE_JOB, EscalationService } from '../../../src/services/integrations/escalation-service.js';
import type { TenantDirectory } from '../../../src/services/tenant-directory.js';
import { type CaseOpener, type Escalator, TenantRules } from '../../../src/services/tenant-rules.js';
import { IncidentActions } from '../../../src/services/triage/incident-actions.js';
import { type ServiceWorld, sandboxConfig, serviceWorld, withTenant } from '../../helpers/services.js';

/** Records case requests; available exactly when the tenant has a Salesforce account (as CaseService). */
class FakeCaseOpener implements CaseOpener {
  readonly requests: Array<{ incidentId: number; requestedBy: string | null }> = [];
  constructor(private readonly tenants: TenantDirectory) {}

  unavailable(tenantId: string): string | undefined {
    return this.tenants.tenant(tenantId)?.salesforce ? undefined : 'no Salesforce account';
  }

  request(incidentId: number, requestedBy: string | null): unknown {
    this.requests.push({ incidentId, requestedBy });
    return { ok: true };
  }
}

class FakeEscalator implements Escalator {
  readonly asked: number[] = [];

  maybeAutoEscalate(incidentId: number): void {
    this.asked.push(incidentId);
  }
}

const worlds: ServiceWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

function setup(config: OpsbotConfig = sandboxConfig()) {
  const world = serviceWorld(config);
  worlds.push(world);
  const cases = new FakeCaseOpener(world.tenants);
  const escalations = new FakeEscalator();
  new TenantRules({ incidents: world.incidents, tenants: world.tenants, cases, escalations }).listen(
    world.events,
  );
  return { world, cases, escalations };
}

/** What the first-card job does once Slack answered: store the ts, then announce it. */
function postCard(world: ServiceWorld, incidentId: number) {
  world.incidents.update(incidentId, { cardTs: '1764147600.000100', cardPostedAt: world.clock.now() });
  world.events.emit('card.posted', { incidentId });
}

const actionsOf = (world: ServiceWorld) =>
  new IncidentActions({
    tx: world.tx,
    incidents: world.incidents,
    timeline: world.timeline,
    silences: world.silences,
    cards: world.cards,
    clock: world.clock,
  });

const withoutSalesforce = () => withTenant(sandboxConfig(), 'nimbus', ({ salesforce: _, ...t }) => t);

describe('TenantRules', () => {
  it('requests a Salesforce case (by the rule, not a person) when a Sev1 card is posted for a tenant with Salesforce', () => {
    const { world, cases, escalations } = setup();
    const { id } = world.openIncident({ severity: 1 });
    postCard(world, id);

    expect(cases.requests).toEqual([{ incidentId: id, requestedBy: null }]);
    // Escalation waits for the case (case.opened), so the issue can link it.
    expect(escalations.asked).toEqual([]);
  });

  it('escalates at once when a Sev1 card is posted for a tenant without Salesforce', () => {
    const { world, cases, escalations } = setup(withoutSalesforce());
    expect(world.tenants.tenant('nimbus')?.salesforce).toBeUndefined();
    const { id } = world.openIncident({ severity: 1 });
    postCard(world, id);

    expect(cases.requests).toEqual([]);
    expect(escalations.asked).toEqual([id]);
  });

  it('opens no case for a Sev3 card and leaves escalation to the escalator, which queues nothing at Sev3', () => {
    const { world, cases, escalations } = setup();
    const { id } = world.openIncident({ severity: 3 });
    postCard(world, id);
    expect(cases.requests).toEqual([]);
    expect(escalations.asked).toEqual([id]);

    // Behind the rules, the real escalation service declines Sev3 (autoEscalateSeverities: [1]).
    const tracker = {} as EscalationTracker; // never called: nothing may be queued
    const real = new EscalationService({
      ...world.integrationDeps(),
      trackers: new Map([['JIRA', tracker]]),
    });
    for (const job of real.jobs()) world.scheduler.define(job);
    real.maybeAutoEscalate(id);
    expect(world.jobsOf(ESCALATE_JOB)).toEqual([]);
    expect(world.incidents.timeline(id)).toEqual([]);
  });

  it('asks for the escalation once the case is opened', () => {
    const { world, cases, escalations } = setup();
    const { id } = world.openIncident({ severity: 1 });
    world.events.emit('case.opened', { incidentId: id });
    expect(escalations.asked).toEqual([id]);
    expect(cases.requests).toEqual([]);
  });

  it('re-applies the rules when the severity is raised after the card is out, but not before', () => {
    const { world, cases } = setup();
    const early = world.openIncident({ severity: 3, cluster: 'sjc-gpu-01', groupKey: 'g-early' });
    actionsOf(world).changeSeverity(early.id, 'U1', 1, 'checkpoints stalled');
    // No card yet: the first post applies the rules with the severity it then has.
    expect(cases.requests).toEqual([]);

    const late = world.openIncident({ severity: 3, groupKey: 'g-late' });
    postCard(world, late.id);
    expect(cases.requests).toEqual([]);
    actionsOf(world).changeSeverity(late.id, 'U1', 2, 'customer training blocked');
    expect(cases.requests).toEqual([{ incidentId: late.id, requestedBy: null }]);
  });

  it('does nothing for a resolved incident', () => {
    const { world, cases, escalations } = setup();
    const { id } = world.openIncident({ severity: 1 });
    world.incidents.update(id, { status: 'resolved', resolvedAt: world.clock.now(), resolvedBy: 'U1' });
    postCard(world, id);
    expect(cases.requests).toEqual([]);
    expect(escalations.asked).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/domain/message.js';
import type { CaseChange, CaseFields, CaseRef, CaseTracker } from '../../../src/integrations/ports.js';
import type { OpsEvents } from '../../../src/services/events.js';
import {
  CASE_COMMENT_JOB,
  CASE_JOB,
  CASE_STATUS_JOB,
  CaseService,
} from '../../../src/services/integrations/case-service.js';
import { IncidentActions } from '../../../src/services/triage/incident-actions.js';
import { type ServiceWorld, serviceWorld } from '../../helpers/services.js';

/** A Salesforce stand-in at the port: records every call, answers like the real adapter. */
class FakeCaseTracker implements CaseTracker {
  readonly upserts: Array<{ externalId: string; fields: CaseFields }> = [];
  readonly comments: Array<{ caseId: string; body: string }> = [];
  readonly statuses: Array<{ caseId: string; status: string }> = [];
  readonly polls: Array<{ accountIds: string[]; since: number; until: number }> = [];
  /** What the next poll answers. */
  changes: CaseChange[] = [];

  async upsertCase(externalId: string, fields: CaseFields): Promise<CaseRef> {
    this.upserts.push({ externalId, fields });
    return {
      id: '500Dn000001AbCd',
      caseNumber: '00012345',
      url: 'https://sf.example/lightning/r/Case/500Dn000001AbCd/view',
      created: this.upserts.length === 1,
    };
  }

  async addComment(caseId: string, body: string): Promise<void> {
    this.comments.push({ caseId, body });
  }

  async setStatus(caseId: string, status: string): Promise<void> {
    this.statuses.push({ caseId, status });
  }

  async changedSince(accountIds: string[], since: number, until: number): Promise<CaseChange[]> {
    this.polls.push({ accountIds, since, until });
    const out = this.changes;
    this.changes = [];
    return out;
  }
}

const worlds: ServiceWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

/** The cases capability's wiring (src/capabilities/cases.ts), with fakes at the ports. */
function setup() {
  const world = serviceWorld();
  worlds.push(world);
  const tracker = new FakeCaseTracker();
  const cases = new CaseService({ ...world.integrationDeps(), tracker });
  for (const job of cases.jobs()) world.scheduler.define(job);
  world.events.on('timeline', (entry) => cases.onTimeline(entry));
  const emitted: Array<{ event: keyof OpsEvents; payload: unknown }> = [];
  for (const event of ['case.opened', 'card.changed'] as const)
    world.events.on(event, (payload) => emitted.push({ event, payload }));
  const incident = world.openIncident({ severity: 1 });
  world.incidents.update(incident.id, { cardTs: '1764147600.000100', cardPostedAt: world.clock.now() });
  return { world, tracker, cases, emitted, id: incident.id };
}

describe('CaseService (real SQLite, fake CaseTracker)', () => {
  it('queues one case job per incident: a second request is the same job and records nothing more', () => {
    const { world, cases, id } = setup();
    const first = cases.request(id, 'U1');
    const second = cases.request(id, 'U2');

    expect(first).toEqual({
      ok: true,
      message: [{ text: `Opening a Salesforce case for INC-${id}; the card will link it.` }],
    });
    expect(second.ok).toBe(true);
    expect(world.jobsOf(CASE_JOB)).toEqual([
      {
        key: `sf-case:${id}`,
        payload: { incidentId: id, tenantId: 'nimbus', requestedBy: 'U1' },
        runAt: world.clock.now(),
        status: 'pending',
      },
    ]);
    const requested = world.incidents.timeline(id).filter((e) => e.kind === 'case');
    expect(requested.map((e) => e.message)).toEqual([
      [{ text: 'Salesforce case requested by ' }, { mention: 'U1' }],
    ]);
    expect(cases.hasCase(id)).toBe(true);
  });

  it('opens the case by upsert on external id opsbot-<id>, saves the link, records it and tells the other capabilities', async () => {
    const { world, tracker, cases, emitted, id } = setup();
    cases.request(id, 'U1');
    await world.drain();

    expect(tracker.upserts).toHaveLength(1);
    expect(tracker.upserts[0]?.externalId).toBe(`opsbot-${id}`);
    expect(tracker.upserts[0]?.fields).toMatchObject({
      subject: `[INC-${id} Sev1] sjc-obj-01: D-node dnode-3 is not responding`,
      priority: 'Critical',
      status: 'New',
      origin: 'Slack',
      accountId: '001Dn00000NmbUS',
    });
    expect(tracker.upserts[0]?.fields.description).toContain(
      'Slack: https://slack.example/archives/C0NIMBALRM/p1764147600000100',
    );
    expect(world.links.get(id, 'salesforce')).toMatchObject({
      externalId: '500Dn000001AbCd',
      ref: '00012345',
      url: 'https://sf.example/lightning/r/Case/500Dn000001AbCd/view',
      status: 'New',
    });
    expect(world.incidents.timeline(id).at(-1)).toMatchObject({
      kind: 'case',
      actor: null,
      text: 'Salesforce case 00012345 opened',
      data: { caseId: '500Dn000001AbCd' },
    });
    expect(emitted).toEqual([
      { event: 'card.changed', payload: { incidentId: id, reason: '00012345' } },
      { event: 'case.opened', payload: { incidentId: id } },
    ]);
    expect(world.chat.posts).toEqual([
      {
        target: { channel: 'C0NIMBALRM', threadTs: '1764147600.000100' },
        message: [
          { emoji: 'file_folder' },
          { text: ' Salesforce case ' },
          { link: 'https://sf.example/lightning/r/Case/500Dn000001AbCd/view', label: '00012345' },
          { text: ` opened for INC-${id}.` },
        ],
        key: `sf-case-note:${id}`,
      },
    ]);
    // Once linked, asking again answers with the link and queues nothing.
    expect(cases.request(id, 'U2').message).toEqual([
      { text: `INC-${id} already has Salesforce case ` },
      { link: 'https://sf.example/lightning/r/Case/500Dn000001AbCd/view', label: '00012345' },
    ]);
  });

  it('mirrors an ack as a CaseComment that names the person as @Display Name, never as a Slack mention', async () => {
    const { world, tracker, cases, id } = setup();
    cases.request(id, 'U1');
    await world.drain();
    const actions = new IncidentActions({
      tx: world.tx,
      incidents: world.incidents,
      timeline: world.timeline,
      silences: world.silences,
      cards: world.cards,
      clock: world.clock,
    });
    world.clock.advance('3m');
    actions.acknowledge(id, 'U1');

    const queued = world.jobsOf(CASE_COMMENT_JOB);
    expect(queued).toHaveLength(1);
    expect(queued[0]?.payload).toMatchObject({
      incidentId: id,
      message: [
        { text: `[opsbot] INC-${id}: ` },
        { text: 'Acknowledged by ' },
        { mention: 'U1' },
        { text: ' after 3m' },
      ],
    });
    await world.drain();

    expect(tracker.comments).toEqual([
      { caseId: '500Dn000001AbCd', body: `[opsbot] INC-${id}: Acknowledged by @Ada Lovelace after 3m` },
    ]);
    expect(tracker.comments[0]?.body).not.toMatch(/<@|U1/);
    expect(world.people.asked).toContainEqual(['U1']);
  });

  it('closes the case with the configured status when the incident resolves', async () => {
    const { world, tracker, cases, id } = setup();
    cases.request(id, 'U1');
    await world.drain();
    new IncidentActions({
      tx: world.tx,
      incidents: world.incidents,
      timeline: world.timeline,
      silences: world.silences,
      cards: world.cards,
      clock: world.clock,
    }).resolve(id, 'U1');
    expect(world.jobsOf(CASE_STATUS_JOB)).toHaveLength(1);
    await world.drain();

    expect(tracker.statuses).toEqual([{ caseId: '500Dn000001AbCd', status: 'Closed' }]);
    expect(world.links.get(id, 'salesforce')?.status).toBe('Closed');
  });

  it('keeps the poll watermark in WatermarkStore: each poll asks for the window after the last one', async () => {
    const { world, tracker, cases, id } = setup();
    cases.request(id, null);
    await world.drain();
    const start = world.clock.now();
    cases.polling.ensure(start);

    tracker.changes = [
      {
        id: '500Dn000001AbCd',
        caseNumber: '00012345',
        externalId: `opsbot-${id}`,
        status: 'Working',
        priority: 'Critical',
        ownerName: 'Integration User',
        lastModified: start + 30_000,
      },
    ];
    world.clock.advance('1m');
    await world.drain();
    const firstUntil = start + 60_000;
    expect(tracker.polls).toEqual([
      {
        accountIds: ['001Dn00000NmbUS', '001Dn00000HlxAIQAA', '001Dn00000AurLB', '001Dn00000VegaA'],
        since: firstUntil - 60_000,
        until: firstUntil,
      },
    ]);
    expect(world.watermarks.get('salesforce.poll.watermark')).toBe(firstUntil);
    const update = world.incidents.timeline(id).at(-1);
    expect(update?.kind).toBe('case-update');
    expect(update && plainText(update.message)).toBe('Salesforce case 00012345: status New → Working');

    world.clock.advance('1m');
    await world.drain();
    expect(tracker.polls[1]).toMatchObject({ since: firstUntil, until: firstUntil + 60_000 });
    expect(world.watermarks.get('salesforce.poll.watermark')).toBe(firstUntil + 60_000);
  });
});

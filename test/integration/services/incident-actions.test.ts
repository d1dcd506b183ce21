import { afterEach, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/domain/message.js';
import { CARD_JOB } from '../../../src/services/triage/card-scheduler.js';
import { IncidentActions } from '../../../src/services/triage/incident-actions.js';
import { type ServiceWorld, serviceWorld } from '../../helpers/services.js';

const worlds: ServiceWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

/** An incident whose first card is out, so people's actions re-render it at once. */
function setup() {
  const world = serviceWorld();
  worlds.push(world);
  const actions = new IncidentActions({
    tx: world.tx,
    incidents: world.incidents,
    timeline: world.timeline,
    silences: world.silences,
    cards: world.cards,
    clock: world.clock,
  });
  const incident = world.openIncident({ severity: 2 });
  world.incidents.update(incident.id, { cardTs: '1764147600.000100', cardPostedAt: world.clock.now() });
  world.clock.advance('3m');
  return { world, actions, id: incident.id };
}

const snapshot = (world: ServiceWorld, id: number) => ({
  incident: world.incidents.get(id),
  timeline: world.incidents.timeline(id),
  jobs: world.jobsOf(CARD_JOB),
  silences: world.db.prepare('SELECT COUNT(*) AS n FROM silences').get(),
});

describe('IncidentActions (real SQLite)', () => {
  it('acknowledges: stores who and when, a timeline entry with the person as a mention run, and a card re-render', () => {
    const { world, actions, id } = setup();
    const result = actions.acknowledge(id, 'U1');

    expect(result.ok).toBe(true);
    expect(plainText(result.message)).toBe(`You acknowledged INC-${id}. The card shows it.`);
    expect(world.incidents.get(id)).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'U1',
      acknowledgedAt: world.clock.now(),
    });
    const ack = world.incidents.timeline(id).at(-1);
    expect(ack).toMatchObject({ kind: 'ack', actor: 'U1', text: 'Acknowledged by @U1 after 3m' });
    expect(ack?.message).toEqual([{ text: 'Acknowledged by ' }, { mention: 'U1' }, { text: ' after 3m' }]);
    expect(world.jobsOf(CARD_JOB)).toEqual([
      {
        key: `card:${id}:action:ack:${ack?.id}`,
        payload: { incidentId: id },
        runAt: world.clock.now(),
        status: 'pending',
      },
    ]);
  });

  it('answers that an incident was already acknowledged, naming who as a mention, and changes nothing', () => {
    const { world, actions, id } = setup();
    actions.acknowledge(id, 'U1');
    const before = snapshot(world, id);

    const again = actions.acknowledge(id, 'U2');
    expect(again).toEqual({
      ok: false,
      message: [{ text: `INC-${id} was already acknowledged by ` }, { mention: 'U1' }, { text: '.' }],
    });
    expect(snapshot(world, id)).toEqual(before);
  });

  it('resolves, noting alarms that were still firing; a second resolve or acknowledge says it is already resolved', () => {
    const { world, actions, id } = setup();
    world.incidents.addMember({
      incidentId: id,
      fingerprint: 'fp-1',
      name: 'DNODE_DOWN',
      componentKind: 'dnode',
      componentId: 'dnode-3',
      severity: 2,
      summary: 'D-node dnode-3 is not responding',
      status: 'firing',
      suppressedBy: null,
      labels: {},
      at: world.clock.now(),
      canInhibit: false,
    });
    const result = actions.resolve(id, 'U1');

    expect(result.ok).toBe(true);
    expect(world.incidents.get(id)).toMatchObject({
      status: 'resolved',
      resolvedBy: 'U1',
      resolveDueAt: null,
    });
    const entry = world.incidents.timeline(id).at(-1);
    expect(entry?.kind).toBe('resolve');
    expect(entry?.message).toEqual([
      { text: 'Resolved by ' },
      { mention: 'U1' },
      { text: ' (1 alarm(s) were still firing)' },
    ]);
    expect(world.jobsOf(CARD_JOB).map((j) => j.key)).toEqual([`card:${id}:action:resolve:${entry?.id}`]);

    const before = snapshot(world, id);
    expect(actions.resolve(id, 'U2')).toEqual({
      ok: false,
      message: [{ text: `INC-${id} is already resolved.` }],
    });
    expect(actions.acknowledge(id, 'U2')).toEqual({
      ok: false,
      message: [{ text: `INC-${id} is already resolved.` }],
    });
    expect(snapshot(world, id)).toEqual(before);
  });

  it('changes the severity with a reason, locks it against alarms, and refuses a change without a reason', () => {
    const { world, actions, id } = setup();
    expect(actions.changeSeverity(id, 'U1', 1, '   ').ok).toBe(false);
    expect(world.incidents.timeline(id)).toEqual([]);

    const result = actions.changeSeverity(id, 'U1', 1, 'customer training run blocked');
    expect(result).toEqual({ ok: true, message: [{ text: `INC-${id} is now Sev1.` }] });
    expect(world.incidents.get(id)).toMatchObject({ severity: 1, severityLocked: true });
    const entry = world.incidents.timeline(id).at(-1);
    expect(entry).toMatchObject({
      kind: 'severity',
      actor: 'U1',
      data: { from: 2, to: 1, reason: 'customer training run blocked' },
    });
    expect(entry?.message).toEqual([
      { text: 'Sev2 → Sev1 by ' },
      { mention: 'U1' },
      { text: ': customer training run blocked' },
    ]);
    expect(world.jobsOf(CARD_JOB).map((j) => j.key)).toEqual([`card:${id}:action:severity:${entry?.id}`]);
    expect(actions.changeSeverity(id, 'U1', 1, 'again').message).toEqual([
      { text: `INC-${id} is already Sev1.` },
    ]);
  });

  it("silences the incident's group with matchers from its group key and records it on the timeline", () => {
    const { world, actions, id } = setup();
    const result = actions.silenceGroup(id, 'U1', 2 * 3_600_000);

    expect(result.ok).toBe(true);
    const entry = world.incidents.timeline(id).at(-1);
    if (!entry) throw new Error('the silence was not recorded on the timeline');
    const silenceId = (entry.data as { silenceId: string }).silenceId;
    expect(silenceId).toMatch(/^S-[0-9a-f]{6}$/);
    expect(world.silences.get(silenceId)).toMatchObject({
      tenantId: 'nimbus',
      matchers: [
        { name: 'tenant', op: '=', value: 'nimbus' },
        { name: 'cluster', op: '=', value: 'sjc-obj-01' },
        { name: 'category', op: '=', value: 'storage-node' },
      ],
      endsAt: world.clock.now() + 2 * 3_600_000,
      createdBy: 'U1',
      reason: `from INC-${id}`,
    });
    expect(entry.message).toEqual([
      { text: 'Silenced for 2h by ' },
      { mention: 'U1' },
      { text: ` (${silenceId}); alarms keep being recorded` },
    ]);
    expect(result.message).toContainEqual({ code: `/opsbot unsilence ${silenceId}` });
    expect(world.jobsOf(CARD_JOB).map((j) => j.key)).toEqual([`card:${id}:action:silence:${entry.id}`]);
  });

  it('answers plainly for an unknown incident', () => {
    const { actions } = setup();
    for (const result of [
      actions.acknowledge(999, 'U1'),
      actions.resolve(999, 'U1'),
      actions.changeSeverity(999, 'U1', 1, 'why'),
      actions.silenceGroup(999, 'U1', 60_000),
    ])
      expect(result).toEqual({ ok: false, message: [{ text: 'There is no incident 999.' }] });
  });

  it('rolls the whole action back when a timeline listener throws: no status, entry, silence or card job is stored', () => {
    const { world, actions, id } = setup();
    const before = snapshot(world, id);
    world.events.on('timeline', () => {
      throw new Error('listener failed');
    });

    expect(() => actions.acknowledge(id, 'U1')).toThrow('listener failed');
    expect(() => actions.resolve(id, 'U1')).toThrow('listener failed');
    expect(() => actions.changeSeverity(id, 'U1', 1, 'why')).toThrow('listener failed');
    expect(() => actions.silenceGroup(id, 'U1', 60_000)).toThrow('listener failed');
    expect(snapshot(world, id)).toEqual(before);
    expect(world.incidents.get(id)?.status).toBe('open');
  });
});

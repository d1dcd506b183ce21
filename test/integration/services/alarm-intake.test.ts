import { afterEach, describe, expect, it } from 'vitest';
import { plainText } from '../../../src/domain/message.js';
import { AUTORESOLVE_JOB, CARD_JOB } from '../../../src/services/triage/card-scheduler.js';
import { GroupCommit } from '../../../src/store/group-commit.js';
import type { Incident } from '../../../src/store/incident-store.js';
import { alarmInput, intakeFor, type ServiceWorld, serviceWorld } from '../../helpers/services.js';

const worlds: ServiceWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

function setup(opts: { groupCommit?: boolean } = {}) {
  const world = serviceWorld();
  worlds.push(world);
  const commits = opts.groupCommit ? new GroupCommit(world.db) : undefined;
  const intake = intakeFor(world, commits);
  return { world, intake };
}

// Both land in the nimbus / sjc-obj-01 / storage-node group (the default groupBy).
const dnodeDown = (dedupeKey: string, status: 'firing' | 'resolved' = 'firing') => ({
  dedupeKey,
  name: 'DNODE_DOWN',
  summary: 'D-node dnode-3 is not responding',
  componentId: 'dnode-3',
  status,
});
const ssdFailed = (dedupeKey: string) => ({
  dedupeKey,
  name: 'SSD_FAILED',
  summary: 'SSD 7 failed on dnode-4',
  componentId: 'dnode-4',
});

describe('AlarmIntake (real SQLite)', () => {
  it('opens an incident for a firing alarm, with an opened entry, and schedules the first card after group_wait', () => {
    const { world, intake } = setup();
    const outcome = intake.ingest(alarmInput(world, dnodeDown('am-1')));

    expect(outcome).toMatchObject({ result: 'joined', opened: true, suppressedBy: null });
    const id = (outcome as { incidentId: number }).incidentId;
    const incident = world.incidents.get(id) as Incident;
    expect(incident).toMatchObject({
      tenantId: 'nimbus',
      cluster: 'sjc-obj-01',
      category: 'storage-node',
      severity: 1,
      status: 'open',
      channel: 'C0NIMBALRM',
    });
    const entries = world.incidents.timeline(id);
    expect(entries.map((e) => e.kind)).toEqual(['opened', 'alarm']);
    expect(entries[0]?.text).toBe('Opened by DNODE_DOWN on dnode-3');
    expect(entries[0]?.message).toEqual([{ text: 'Opened by DNODE_DOWN on dnode-3' }]);
    expect(world.jobsOf(CARD_JOB)).toEqual([
      {
        key: `card:${id}:first`,
        payload: { incidentId: id },
        runAt: world.clock.now() + world.policy.groupWaitMs,
        status: 'pending',
      },
    ]);
  });

  it('treats the same dedupeKey again as a duplicate and records nothing more', () => {
    const { world, intake } = setup();
    const first = intake.ingest(alarmInput(world, dnodeDown('am-1')));
    const id = (first as { incidentId: number }).incidentId;
    const before = world.incidents.timeline(id).length;

    expect(intake.ingest(alarmInput(world, dnodeDown('am-1')))).toEqual({ result: 'duplicate' });
    expect(world.incidents.timeline(id)).toHaveLength(before);
    expect(world.alarms.rawCount()).toBe(1);
    expect(world.incidents.listOpen()).toHaveLength(1);
  });

  it('joins a second alarm of the same group to the open incident instead of opening another', () => {
    const { world, intake } = setup();
    const first = intake.ingest(alarmInput(world, dnodeDown('am-1'))) as { incidentId: number };
    world.clock.advance('10s');
    const second = intake.ingest(alarmInput(world, ssdFailed('am-2')));

    expect(second).toEqual({
      result: 'joined',
      incidentId: first.incidentId,
      opened: false,
      suppressedBy: null,
    });
    expect(
      world.incidents
        .members(first.incidentId)
        .map((m) => m.name)
        .sort(),
    ).toEqual(['DNODE_DOWN', 'SSD_FAILED']);
    expect(world.incidents.timeline(first.incidentId).map((e) => e.text)).toEqual([
      'Opened by DNODE_DOWN on dnode-3',
      'firing DNODE_DOWN on dnode-3',
      'firing SSD_FAILED on dnode-4',
    ]);
    // Still one first-card job: the pending post shows both alarms.
    expect(world.jobsOf(CARD_JOB).map((j) => j.key)).toEqual([`card:${first.incidentId}:first`]);
  });

  it('schedules the auto-resolve after the quiet period once every alarm of the incident resolved', () => {
    const { world, intake } = setup();
    const { incidentId } = intake.ingest(alarmInput(world, dnodeDown('am-1'))) as { incidentId: number };
    world.clock.advance('2m');
    const resolved = intake.ingest(alarmInput(world, dnodeDown('am-1-resolved', 'resolved')));

    expect(resolved).toMatchObject({ result: 'joined', incidentId, opened: false });
    const dueAt = world.clock.now() + world.policy.resolveQuietPeriodMs;
    expect(world.incidents.get(incidentId)?.resolveDueAt).toBe(dueAt);
    expect(world.jobsOf(AUTORESOLVE_JOB)).toEqual([
      {
        key: `autoresolve:${incidentId}:${dueAt}`,
        payload: { incidentId, dueAt },
        runAt: dueAt,
        status: 'pending',
      },
    ]);
    // The incident itself stays open until the job runs (a new firing alarm would cancel it).
    expect(world.incidents.get(incidentId)?.status).toBe('open');
  });

  it('waits for the last firing alarm of the incident before it schedules the auto-resolve', () => {
    const { world, intake } = setup();
    const { incidentId } = intake.ingest(alarmInput(world, dnodeDown('am-1'))) as { incidentId: number };
    intake.ingest(alarmInput(world, ssdFailed('am-2')));
    world.clock.advance('1m');
    intake.ingest(alarmInput(world, dnodeDown('am-1-resolved', 'resolved')));

    // SSD_FAILED still fires: nothing to resolve yet.
    expect(world.incidents.anyFiring(incidentId)).toBe(true);
    expect(world.incidents.get(incidentId)?.resolveDueAt).toBeNull();
    expect(world.jobsOf(AUTORESOLVE_JOB)).toEqual([]);

    world.clock.advance('1m');
    intake.ingest(alarmInput(world, { ...ssdFailed('am-2-resolved'), status: 'resolved' }));
    expect(world.incidents.anyFiring(incidentId)).toBe(false);
    expect(world.incidents.get(incidentId)?.resolveDueAt).toBe(
      world.clock.now() + world.policy.resolveQuietPeriodMs,
    );
  });

  it('opens nothing for a silenced alarm, but counts the hit on the silence', () => {
    const { world, intake } = setup();
    const now = world.clock.now();
    world.silences.create(
      {
        id: 'S-test01',
        tenantId: 'nimbus',
        matchers: [{ name: 'cluster', op: '=', value: 'sjc-obj-01' }],
        startsAt: now,
        endsAt: now + 3_600_000,
        createdBy: 'U0STAFF001',
        reason: 'maintenance',
      },
      now,
    );

    expect(intake.ingest(alarmInput(world, dnodeDown('am-1')))).toEqual({
      result: 'silenced',
      silenceId: 'S-test01',
      incidentId: null,
    });
    expect(world.incidents.listOpen()).toEqual([]);
    expect(world.jobsOf(CARD_JOB)).toEqual([]);
    expect(world.silences.get('S-test01')?.hits).toBe(1);
  });

  it('raises the severity for a more severe alarm, and the timeline event already sees it stored', () => {
    const { world, intake } = setup();
    const { incidentId } = intake.ingest(alarmInput(world, ssdFailed('am-1'))) as { incidentId: number };
    expect(world.incidents.get(incidentId)?.severity).toBe(3);

    const seen: Array<{ kind: string; storedSeverity: number | undefined }> = [];
    world.events.on('timeline', (entry) => {
      seen.push({ kind: entry.kind, storedSeverity: world.incidents.get(entry.incidentId)?.severity });
    });
    world.clock.advance('30s');
    intake.ingest(alarmInput(world, dnodeDown('am-2')));

    expect(world.incidents.get(incidentId)?.severity).toBe(1);
    expect(seen).toContainEqual({ kind: 'severity', storedSeverity: 1 });
    const raised = world.incidents.timeline(incidentId).find((e) => e.kind === 'severity');
    expect(raised && plainText(raised.message)).toBe('Raised to Sev1 by a new alarm');
    expect(raised?.data).toEqual({ from: 3, to: 1 });
  });

  it('records every alarm of a storm request, and looks at the card once for all of them', async () => {
    const { world, intake } = setup({ groupCommit: true });
    const storm = Array.from({ length: 40 }, (_, i) =>
      alarmInput(world, {
        dedupeKey: `am-${i}`,
        name: 'DNODE_DOWN',
        summary: `D-node dnode-${i} is not responding`,
        componentId: `dnode-${i}`,
      }),
    );
    const outcomes = await intake.ingestDurably(storm);

    expect(new Set(outcomes.map((o) => o.result))).toEqual(new Set(['joined']));
    const [incident] = world.incidents.listOpen();
    expect(outcomes.filter((o) => o.result === 'joined' && o.opened)).toHaveLength(1);
    expect(world.alarms.rawCount()).toBe(40);
    expect(world.incidents.members(incident?.id as number)).toHaveLength(40);
    expect(world.incidents.timeline(incident?.id as number).filter((e) => e.kind === 'alarm')).toHaveLength(
      40,
    );
    expect(incident?.lastAlarmAt).toBe(world.clock.now());
    expect(world.jobsOf(CARD_JOB).map((j) => j.key)).toEqual([`card:${incident?.id}:first`]);
    // Re-sent, the whole group is duplicates.
    const again = await intake.ingestDurably(storm);
    expect(again.every((o) => o.result === 'duplicate')).toBe(true);
    expect(world.alarms.rawCount()).toBe(40);
  });

  it('forgets what a flush shared when one of its requests rolls back', async () => {
    const { world, intake } = setup({ groupCommit: true });
    world.events.on('timeline', (entry) => {
      if (entry.text.includes('EXPLODES')) throw new Error('a listener failed');
    });
    // The first request opens the incident, then fails: its savepoint takes the incident (and its
    // id, which SQLite hands out again) back. The second, in the same flush, must open its own and
    // enqueue that one's card, whatever the first had remembered.
    const [failed, second] = await Promise.allSettled([
      intake.ingestDurably([
        alarmInput(world, dnodeDown('am-1')),
        alarmInput(world, { dedupeKey: 'am-2', name: 'EXPLODES', summary: 'boom', componentId: 'dnode-9' }),
      ]),
      intake.ingestDurably([alarmInput(world, ssdFailed('am-3'))]),
    ]);

    expect(failed.status).toBe('rejected');
    expect(second).toMatchObject({ status: 'fulfilled', value: [{ result: 'joined', opened: true }] });
    expect(world.alarms.rawCount()).toBe(1);
    // Stored exactly as if the failed request had never come.
    const alone = setup({ groupCommit: true });
    await alone.intake.ingestDurably([alarmInput(alone.world, ssdFailed('am-3'))]);
    const state = (w: ServiceWorld) =>
      w.incidents.listOpen().map((i) => ({
        incident: i,
        members: w.incidents.members(i.id).map((m) => m.name),
        timeline: w.incidents.timeline(i.id).map((e) => e.text),
        cards: w.jobsOf(CARD_JOB).map((j) => j.key),
      }));
    expect(state(world)).toEqual(state(alone.world));
    expect(state(world)).toHaveLength(1);
  });
});

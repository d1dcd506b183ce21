import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../sandbox/fake-clock.js';
import { InboundGate, identifyDelivery } from '../../../src/slack/inbound-gate.js';
import { openDatabase } from '../../../src/store/db.js';
import { InboundStore } from '../../../src/store/inbound-store.js';
import { memoryLogger } from '../../helpers/logger.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

const event = (id: string) => ({
  type: 'event_callback',
  event_id: id,
  event: { type: 'app_mention', text: 'hi' },
});

function gateOn(path: string, clock: FakeClock) {
  const db = openDatabase(path);
  return { db, gate: new InboundGate(new InboundStore(db), clock, memoryLogger('silent').logger) };
}

/** Just enough of Bolt's App for the gate: it records what would be dispatched. */
function recordingApp() {
  const seen: unknown[] = [];
  const app = { processEvent: async (e: { body: unknown }) => void seen.push(e.body) } as unknown as App;
  return { app, seen };
}

describe('InboundGate', () => {
  it('keys deliveries by event_id, then trigger_id, then a hash of the raw body', () => {
    expect(identifyDelivery(event('Ev1'), 'raw')).toEqual({ key: 'event_id:Ev1', kind: 'event_callback' });
    expect(identifyDelivery({ command: '/opsbot', trigger_id: 't.1' }, 'raw')).toEqual({
      key: 'trigger_id:t.1',
      kind: 'slash_command',
    });
    const a = identifyDelivery({}, 'one');
    expect(a.key).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(identifyDelivery({}, 'two').key).not.toBe(a.key);
  });

  it('admits a delivery once; re-deliveries of a finished one are skipped', () => {
    const t = tempDir();
    temps.push(t);
    const { db, gate } = gateOn(t.dbPath, new FakeClock());
    const first = gate.admit(event('Ev1'), '{}', 'http');
    expect(first).toBeDefined();
    // While the first is in flight, a retry must not start a second processing.
    expect(gate.admit(event('Ev1'), '{}', 'http', 1)).toBeUndefined();
    gate.finish(first!);
    expect(gate.admit(event('Ev1'), '{}', 'socket', 2)).toBeUndefined();
    db.close();
  });

  it('after a crash between persist and processing, replays the event once at start', async () => {
    const t = tempDir();
    temps.push(t);
    const clock = new FakeClock();
    const before = gateOn(t.dbPath, clock);
    expect(before.gate.admit(event('EvCrash'), '{}', 'http')).toBeDefined();
    expect(before.gate.admit({ command: '/opsbot', trigger_id: 'tr.1' }, 'x', 'http')).toBeDefined();
    before.db.close(); // the process dies: acked, never processed

    const after = gateOn(t.dbPath, clock);
    const { app, seen } = recordingApp();
    expect(await after.gate.replayUnfinished(app, 60_000)).toBe(1);
    expect(seen).toEqual([event('EvCrash')]); // slash commands are not replayed: their trigger expired
    expect(await after.gate.replayUnfinished(app, 60_000)).toBe(0);
    expect(after.gate.admit(event('EvCrash'), '{}', 'http', 1)).toBeUndefined();
    after.db.close();
  });

  it('lets a Slack retry finish what a crashed process left unfinished', () => {
    const t = tempDir();
    temps.push(t);
    const clock = new FakeClock();
    const before = gateOn(t.dbPath, clock);
    before.gate.admit(event('EvRetry'), '{}', 'http');
    before.db.close();
    const after = gateOn(t.dbPath, clock);
    expect(after.gate.admit(event('EvRetry'), '{}', 'http', 1)).toEqual({
      key: 'event_id:EvRetry',
      kind: 'event_callback',
    });
    after.db.close();
  });
});

// Socket Mode envelopes Slack's own client cannot survive: SocketModeClient reads
// `payload.event.type` of every events_api envelope before it emits anything, so a payload or
// event that is not an object used to end in an unhandled rejection. The receiver's guard turns
// such envelopes into ones its shape check drops (acknowledged, never stored).
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../sandbox/fake-clock.js';
import { InboundGate } from '../../../src/slack/inbound-gate.js';
import { SlackSocketReceiver } from '../../../src/slack/receivers/socket-receiver.js';
import { openDatabase } from '../../../src/store/db.js';
import { InboundStore } from '../../../src/store/inbound-store.js';
import { memoryLogger } from '../../helpers/logger.js';
import { tempDir } from '../../helpers/temp-db.js';

const temps: Array<ReturnType<typeof tempDir>> = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

function receiver() {
  const temp = tempDir();
  temps.push(temp);
  const store = new InboundStore(openDatabase(temp.dbPath));
  const log = memoryLogger('info');
  const gate = new InboundGate(store, new FakeClock(Date.UTC(2026, 10, 26, 9)), log.logger);
  const r = new SlackSocketReceiver({
    appToken: 'xapp-1-test',
    slackApiUrl: 'http://127.0.0.1:9/api/',
    gate,
    logger: log.logger,
  });
  // The client's WebSocket message handler, as the socket would call it.
  const deliver = (text: string) =>
    (r.client as unknown as { onWebSocketMessage(d: string, b: boolean): Promise<void> }).onWebSocketMessage(
      text,
      false,
    );
  return { deliver, store, records: log.records };
}

describe('Socket Mode receiver: malformed envelopes', () => {
  it.each([
    [
      { envelope_id: 'e1', type: 'events_api', payload: { type: 'event_callback', event: null } },
      'event: expected an object, got null',
    ],
    [
      { envelope_id: 'e2', type: 'events_api', payload: { type: 'event_callback', event: 'x' } },
      'event: expected an object, got a string',
    ],
    [{ envelope_id: 'e3', type: 'events_api', payload: null }, 'payload: expected an object, got null'],
    [{ envelope_id: 'e4', type: 'events_api', payload: [1] }, 'payload: expected an object, got an array'],
  ])('drops %j with a warning instead of an unhandled rejection', async (envelope, reason) => {
    const { deliver, store, records } = receiver();
    await expect(deliver(JSON.stringify(envelope))).resolves.toBeUndefined();
    expect(records().some((r) => r.reason === reason && r.level === 40 /* warn */)).toBe(true);
    // Dropped at the door: it also reached the shape check, which would have acked it.
    expect(records().some((r) => r.msg === 'dropped a malformed Socket Mode envelope')).toBe(true);
    expect(store.size()).toBe(0);
  });

  it('ignores a message that is not an envelope at all', async () => {
    const { deliver, store, records } = receiver();
    for (const text of ['null', '[1,2]', '"hello"', '{not json']) {
      await expect(deliver(text)).resolves.toBeUndefined();
    }
    expect(records().filter((r) => r.msg === 'ignored a malformed Socket Mode message')).toHaveLength(3);
    expect(store.size()).toBe(0);
  });
});

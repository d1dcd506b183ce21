// A DM whose post reached Slack but whose answer was lost: the retry finds the DM conversation
// (conversations.open on the user id), sees its own message there by its key, and adopts it —
// the person gets the reminder once. The real Kernel (WebClient, breaker, outbox job) against the
// Slack stand-in over HTTP, on a fake clock.
import { afterEach, describe, expect, it } from 'vitest';
import { msg } from '../../../src/domain/message.js';
import { kernelWorld } from '../../helpers/kernel-world.js';

const USER = 'U0STAFF001';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

describe('the outbox and direct messages', () => {
  it('adopts a DM an earlier attempt already posted instead of sending it twice', async () => {
    const { slack, k, clock, settle } = await kernelWorld(
      { users: [{ id: USER, name: 'engineer1' }] },
      cleanup,
    );

    slack.failNext('chat.postMessage', { httpStatus: 502, afterHandling: true });
    k.chat.post({ channel: USER }, msg('INC-7 needs a response'), 'sla-remind:7:0:sev1:10:dm:U0STAFF001');
    await settle();
    for (let next = clock.nextTimerAt(); next !== undefined; next = clock.nextTimerAt()) {
      clock.setTime(Math.max(next, clock.now()));
      await settle();
      if (slack.calls.some((c) => c.method === 'conversations.open')) break;
    }
    await settle();
    expect(slack.messages('D0STAFF001').map((m) => m.text)).toEqual(['INC-7 needs a response']);
    expect(slack.calls.map((c) => c.method)).toEqual([
      'chat.postMessage',
      'conversations.open',
      'conversations.history',
    ]);
    expect(k.jobs.getByKey('slack:sla-remind:7:0:sev1:10:dm:U0STAFF001')?.status).toBe('done');
  });
});

// Issue 8, defect 1: a Slack outage longer than the retry budget used to dead-letter the first
// card for good. Slack writes now wait behind a circuit breaker without spending attempts.
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const HELIX_ALARMS = 'C0HELXALRM';
const HELIX_OPS = 'C0HELXOPS1';
let h: Harness | undefined;

afterEach(async () => {
  await h?.abort();
  h = undefined;
});

describe('a long Slack outage', () => {
  it('delays the first card until Slack answers again, dead-letters nothing, and says so on /readyz', async () => {
    h = await Harness.start({ mode: 'http' });
    for (let i = 0; i < 12; i++) h.slack.failNext('chat.postMessage', { httpStatus: 500 });
    await h.driver.postMessage({
      channel: HELIX_ALARMS,
      text: ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
      botId: 'B0VMSINTG1',
      username: 'VMS',
    });
    await h.advance('2m');
    const ready = await fetch(`${h.driver.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, boolean> }).checks.slackDelivery).toBe(false);
    const outbox = await h.opsbot('outbox', { user: 'U0STAFF001', channel: HELIX_OPS });
    expect(outbox).toMatch(/incident\.card \(post or update the incident card/);
    await h.advance('3h');
    const posts = h.slack.callsTo('chat.postMessage').map((c) => c.status);
    expect(posts.filter((s) => s === 500)).toHaveLength(12);
    expect(posts.at(-1)).toBe(200);
    await h.channel(HELIX_ALARMS).expectMessage(/Sev1 INC-1/);
    expect(h.bot.jobs.countByStatus().dead).toBe(0);
    expect((await fetch(`${h.driver.baseUrl}/readyz`)).status).toBe(200);
    await h.finish();
  });
});

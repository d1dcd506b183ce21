// Issue 8, defect 6: interactions nothing handles (an unknown or empty action_id, e.g. a button
// on a card posted by an older version) were never acknowledged, so Slack showed an error.
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const HELIX_ALARMS = 'C0HELXALRM';
let h: Harness | undefined;

afterEach(async () => {
  await h?.abort();
  h = undefined;
});

describe('interactions nobody handles', () => {
  it.each([['http'], ['socket']] as const)(
    'are acknowledged and the clicker is told in plain words (%s)',
    async (mode) => {
      h = await Harness.start({ mode });
      await h.driver.postMessage({
        channel: HELIX_ALARMS,
        text: ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
        botId: 'B0VMSINTG1',
        username: 'VMS',
      });
      await h.advance('30s');
      const card = await h.channel(HELIX_ALARMS).expectMessage(/Sev1 INC-1/);
      for (const actionId of ['incident_page_legacy', '']) {
        const started = Date.now();
        const result = await h.driver.click({
          user: 'U0STAFF001',
          channel: HELIX_ALARMS,
          messageTs: card.ts,
          actionId,
          value: '1',
        });
        expect(result.status).toBe(200);
        expect(Date.now() - started).toBeLessThan(2500);
      }
      await h.driver.settle();
      const told = h.slack.callsTo('chat.postEphemeral').map((c) => String(c.args.text));
      expect(told).toHaveLength(2);
      for (const text of told) expect(text).toMatch(/no longer available/);
      expect(h.bot.incidents.get(1)?.status).toBe('open');
      await h.finish();
    },
  );
});

// Issue 8, defect 8: Alertmanager's Slack notifier with its default template names no cluster
// field, so the card said cluster `unknown`. A configured cluster id of the tenant appearing as a
// token in the alarm text is the cluster.
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const NIMBUS_ALARMS = 'C0NIMBALRM';
let h: Harness | undefined;

afterEach(async () => {
  await h?.abort();
  h = undefined;
});

describe("Alertmanager's default Slack template", () => {
  it('gets the cluster from the configured cluster ids in its title', async () => {
    h = await Harness.start({ mode: 'http' });
    const title = '[FIRING:1] DNodeDown sjc-obj-01 (dnode-3 … critical San Jose)';
    await h.driver.postMessage({
      channel: NIMBUS_ALARMS,
      botId: 'B0ALERTMGR',
      username: 'Alertmanager',
      attachments: [
        {
          color: 'danger',
          title,
          title_link: 'http://alertmanager.sjc.nimbus.internal:9093/#/alerts?receiver=slack-nimbus',
          fallback: `${title} | http://alertmanager.sjc.nimbus.internal:9093/#/alerts?receiver=slack-nimbus`,
          text: '',
          mrkdwn_in: ['fallback', 'pretext', 'text'],
        },
      ],
    });
    await h.advance('1m');
    const card = await h.channel(NIMBUS_ALARMS).expectMessage(/INC-1/);
    const shown = JSON.stringify(card.blocks ?? []) + card.text;
    expect(shown).toContain('sjc-obj-01');
    expect(shown).not.toMatch(/`unknown`|cluster unknown/);
    await h.finish();
  });
});

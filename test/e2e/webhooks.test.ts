import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const HELIX_ALARMS = 'C0HELXALRM';
const NIMBUS_ALARMS = 'C0NIMBALRM';

let h: Harness | undefined;
afterEach(async () => {
  await h?.abort();
  h = undefined;
});

/** An Alertmanager webhook (version 4) as Alertmanager sends it. */
function alertmanagerPayload(status: 'firing' | 'resolved', nodes: string[]) {
  const alerts = nodes.map((node, i) => ({
    status,
    labels: {
      alertname: 'CNodeDown',
      cluster: 'fra-obj-02',
      node,
      severity: 'critical',
      job: 'vms-exporter',
    },
    annotations: { summary: `C-node ${node} is down`, description: `${node} has not answered for 2 minutes` },
    startsAt: '2026-11-26T08:58:00.000Z',
    endsAt: status === 'resolved' ? '2026-11-26T09:20:00.000Z' : '0001-01-01T00:00:00Z',
    generatorURL: `http://prometheus.helix.internal/graph?g0.expr=up%7Bnode%3D%22${node}%22%7D`,
    fingerprint: `a1b2c3d4e5f6${i.toString(16).padStart(4, '0')}`,
  }));
  return {
    version: '4',
    groupKey: '{}/{cluster="fra-obj-02"}:{alertname="CNodeDown"}',
    truncatedAlerts: 0,
    status,
    receiver: 'opsbot',
    groupLabels: { alertname: 'CNodeDown' },
    commonLabels: { alertname: 'CNodeDown', cluster: 'fra-obj-02', severity: 'critical' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.helix.internal:9093',
    alerts,
  };
}

describe('Alertmanager webhook', () => {
  it('shows on the card the alarms Alertmanager left out of a capped notification (truncatedAlerts)', async () => {
    h = await Harness.start({ mode: 'http' });
    const nodes = Array.from({ length: 50 }, (_, i) => `cnode-${i + 1}`);
    const payload = { ...alertmanagerPayload('firing', nodes), truncatedAlerts: 70 };
    expect((await h.driver.webhook('alertmanager', 'helix-ai', payload)).status).toBe(202);
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    expect(JSON.stringify(card.blocks)).toMatch(/50 \(50 firing\) \+ 70 more Alertmanager left out/);
    await h.finish();
  });

  it('stores every alert, answers 202, groups them into one card, and treats a re-send as duplicates', async () => {
    h = await Harness.start({ mode: 'http' });
    const payload = alertmanagerPayload('firing', ['cnode-1', 'cnode-2', 'cnode-3']);
    const first = await h.driver.webhook('alertmanager', 'helix-ai', payload);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 3, duplicates: 0 });
    expect(h.bot.alarms.rawCount()).toBe(3);
    // Triaged behind the 202 (the driver waits for it): one incident for the three alerts.
    expect(h.bot.incidents.listOpen('helix-ai').map((i) => i.ref)).toEqual(['INC-1']);
    const again = await h.driver.webhook('alertmanager', 'helix-ai', payload);
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(h.bot.alarms.rawCount()).toBe(3);
    await h.advance('30s');
    const card = await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    expect(card.text).toMatch(/Sev1/);
    expect(JSON.stringify(card.blocks)).toMatch(/fra-obj-02/);
    await h.finish();
  });

  it('resolves the incident from resolved alerts', async () => {
    h = await Harness.start({ mode: 'http' });
    await h.driver.webhook('alertmanager', 'helix-ai', alertmanagerPayload('firing', ['cnode-1']));
    await h.advance('30s');
    await h.channel(HELIX_ALARMS).expectMessage(/INC-1/);
    const resolved = await h.driver.webhook(
      'alertmanager',
      'helix-ai',
      alertmanagerPayload('resolved', ['cnode-1']),
    );
    expect(resolved.status).toBe(202);
    await h.advance('5m');
    expect(h.bot.incidents.get(1)?.status).toBe('resolved');
    await h.finish();
  });

  it('answers bad requests with a status and a reason, and stores nothing', async () => {
    h = await Harness.start({ mode: 'http' });
    const payload = alertmanagerPayload('firing', ['cnode-1']);
    expect((await h.driver.webhook('alertmanager', 'nobody', payload)).status).toBe(404);
    const noToken = await h.driver.webhook('alertmanager', 'helix-ai', payload, { token: null });
    expect(noToken.status).toBe(401);
    const wrongToken = await h.driver.webhook('alertmanager', 'helix-ai', payload, {
      token: 'sandbox-webhook-token-nimbus',
    });
    expect(wrongToken.status).toBe(401);
    const malformed = await h.driver.webhook('alertmanager', 'helix-ai', null, {
      rawBody: '{"version": "4", "alerts": [',
    });
    expect(malformed.status).toBe(400);
    expect(String(malformed.body.error)).toMatch(/not valid JSON/);
    const wrongShape = await h.driver.webhook('alertmanager', 'helix-ai', { ...payload, alerts: 'nope' });
    expect(wrongShape.status).toBe(400);
    expect(String(wrongShape.body.error)).toMatch(/alerts/);
    const huge = await h.driver.webhook('alertmanager', 'helix-ai', null, {
      rawBody: `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`,
    });
    expect(huge.status).toBe(413);
    expect(h.bot.alarms.rawCount()).toBe(0);
    await h.finish();
  });
});

describe('VMS webhook', () => {
  it('maps the default template and severity names, and de-duplicates identical bodies', async () => {
    h = await Harness.start({ mode: 'http' });
    const body = {
      id: 'vms-evt-99812',
      event: 'DNODE_FAN_FAILED',
      severity: 'MAJOR',
      cluster: 'sjc-obj-01',
      object: 'dnode-4/fan-2',
      message: 'Fan 2 of D-node dnode-4 failed (FRU)',
      state: 'active',
      timestamp: '2026-11-26T08:59:12Z',
    };
    const first = await h.driver.webhook('vms', 'nimbus', body);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 1, duplicates: 0 });
    expect(h.bot.incidents.listOpen('nimbus').map((i) => i.ref)).toEqual(['INC-1']);
    expect((await h.driver.webhook('vms', 'nimbus', body)).body).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    await h.advance('30s');
    const card = await h.channel(NIMBUS_ALARMS).expectMessage(/INC-1/);
    expect(JSON.stringify(card.blocks)).toMatch(/dnode-4/);
    const missing = await h.driver.webhook('vms', 'nimbus', { message: 'no event name' });
    expect(missing.status).toBe(400);
    expect(String(missing.body.error)).toMatch(/eventName/);
    await h.finish();
  });
});

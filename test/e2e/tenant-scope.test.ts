// Issue 8, defect 11: in a customer's shared channel, a staff member's command answered with
// another tenant's incidents and opened another tenant's case. In a tenant's channels commands
// are scoped to that tenant; cross-tenant views only from internal channels or DMs.
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness.js';

const HELIX_ALARMS = 'C0HELXALRM';
const NIMBUS_SHARED = 'C0NIMBCUST';
const STAFF = 'U0STAFF001';
let h: Harness | undefined;

afterEach(async () => {
  await h?.abort();
  h = undefined;
});

describe('commands in a tenant channel', () => {
  it("never show or act on another tenant's incident; internal channels and DMs still can", async () => {
    h = await Harness.start({ mode: 'http' });
    await h.driver.postMessage({
      channel: HELIX_ALARMS,
      text: ':red_circle: [CRITICAL] lon-obj-01 (London) DNODE_DOWN dnode-3: D-node dnode-3 is not responding',
      botId: 'B0VMSINTG1',
      username: 'VMS',
    });
    await h.advance('30s');
    await h.channel(HELIX_ALARMS).expectMessage(/Sev1 INC-1/);
    const as = { user: STAFF, channel: NIMBUS_SHARED };
    expect(await h.opsbot('incidents helix-ai', as)).toMatch(/This channel belongs to Nimbus/);
    expect(await h.opsbot('incidents', as)).not.toMatch(/INC-1/);
    expect(await h.opsbot('incident INC-1', as)).toMatch(/There is no incident `INC-1`/);
    expect(await h.opsbot('case INC-1', as)).toMatch(/There is no incident `INC-1`/);
    expect(await h.opsbot('escalate INC-1 look', as)).toMatch(/There is no incident `INC-1`/);
    // From a DM (no tenant), staff see every tenant.
    expect(await h.opsbot('incident INC-1', { user: STAFF, channel: 'D0STAFF001' })).toMatch(/INC-1/);
    expect(h.bot.incidents.timeline(1).some((e) => e.kind === 'case' || e.kind === 'escalation')).toBe(false);
    await h.finish();
  });
});

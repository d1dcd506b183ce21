// The outreach service on a real SQLite file: tenant safety at send time (outreach for one tenant
// can never reach another tenant's channel, even with a wrong config), and pacing on approval.
import { afterEach, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/domain/message.js';
import { plainText } from '../../../src/domain/message.js';
import { OutreachService } from '../../../src/services/outreach/drafts.js';
import type { DraftCard, OutreachChat } from '../../../src/services/outreach/ports.js';
import { contactResponders, Responders } from '../../../src/services/responders.js';
import { OutreachStore } from '../../../src/store/outreach-store.js';
import { type ServiceWorld, sandboxConfig, serviceWorld, withTenant } from '../../helpers/services.js';

class RecordingOutreachChat implements OutreachChat {
  readonly customerPosts: Array<{ channel: string; text: string; key: string }> = [];
  async publishDraft(card: DraftCard): Promise<string> {
    return card.draft.opsTs ?? '1.000100';
  }
  async postCustomer(channel: string, message: Message, key: string): Promise<string> {
    this.customerPosts.push({ channel, text: plainText(message), key });
    return `2.00010${this.customerPosts.length}`;
  }
  async updateCustomer(): Promise<void> {}
  async deleteCustomer(): Promise<void> {}
}

let world: ServiceWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function setUp(config = sandboxConfig()) {
  const w = serviceWorld(config);
  world = w;
  const store = new OutreachStore(w.db);
  const chat = new RecordingOutreachChat();
  const service = new OutreachService({
    tx: w.tx,
    store,
    incidents: w.incidents,
    links: w.links,
    timeline: w.timeline,
    tenants: w.tenants,
    responders: new Responders(contactResponders(w.tenants)),
    scheduler: w.scheduler,
    chat: w.chat,
    outreachChat: chat,
    clock: w.clock,
    logger: w.logger,
  });
  for (const job of service.jobs()) w.scheduler.define(job);
  const draft = (tenantId: string, key: string) =>
    store.create({
      tenantId,
      incidentId: null,
      findingKey: key,
      kind: 'initial',
      detector: 'recurring',
      category: 'network',
      cluster: 'sjc-obj-01',
      observation: 'nic flapping',
      text: 'We see network trouble on sjc-obj-01.',
      opsChannel: w.tenants.tenant(tenantId)?.channels.ops ?? '',
      at: w.clock.now(),
    });
  return { w, store, chat, service, draft };
}

describe('outreach tenant safety', () => {
  it("posts a tenant's outreach only into that tenant's own customer channel", async () => {
    const { w, chat, service, draft } = setUp();
    const d = draft('aurora', 'k1');
    expect(service.approve(d?.id as number, 'U0STAFF001').ok).toBe(true);
    await w.drain();
    expect(chat.customerPosts).toEqual([
      { channel: 'C0AURACUST', text: 'We see network trouble on sjc-obj-01.', key: `outreach:${d?.id}` },
    ]);
    expect(service.customerChannelOf('aurora')).toBe('C0AURACUST');
  });

  it('refuses at send time when the configured customer channel belongs to another tenant', async () => {
    // A wrong config: aurora lists nimbus's shared channel as its own customer channel.
    const base = sandboxConfig();
    const aurora = base.tenants.find((t) => t.id === 'aurora');
    if (!aurora) throw new Error('no aurora tenant in the sandbox config');
    const config = {
      ...base,
      tenants: [
        { ...aurora, channels: { ...aurora.channels, customer: 'C0NIMBCUST' } },
        ...base.tenants.filter((t) => t.id !== 'aurora'),
      ],
    };
    const { w, store, chat, service, draft } = setUp(config);
    expect(service.customerChannelOf('aurora')).toBeUndefined();
    const d = draft('aurora', 'k2');
    service.approve(d?.id as number, 'U0STAFF001');
    await w.drain();
    expect(chat.customerPosts).toEqual([]);
    const after = store.get(d?.id as number);
    expect(after?.status).toBe('pending');
    expect(after?.lastError).toMatch(/does not belong to this customer/);
  });
});

describe('outreach pacing', () => {
  it('holds an approved message behind the rate limit and sends it when the window has room', async () => {
    const config = withTenant(sandboxConfig(), 'aurora', (t) => ({
      ...t,
      outreach: t.outreach && { ...t.outreach, rateLimit: { max: 1, windowMinutes: 60 } },
    }));
    const { w, chat, service, draft } = setUp(config);
    service.approve(draft('aurora', 'a')?.id as number, 'U0STAFF001');
    await w.drain();
    w.clock.advance(10 * 60_000);
    const held = service.approve(draft('aurora', 'b')?.id as number, 'U0STAFF001');
    expect(plainText(held.message)).toMatch(/Held by the rate limit .* it goes out in 50m/);
    await w.drain();
    expect(chat.customerPosts).toHaveLength(1);
    w.clock.advance(50 * 60_000);
    await w.drain();
    expect(chat.customerPosts).toHaveLength(2);
  });
});

describe('outreach quiet hours', () => {
  it("holds an approved message until the tenant's quiet hours end (Singapore time)", async () => {
    const config = withTenant(sandboxConfig(), 'aurora', (t) => ({
      ...t,
      outreach: t.outreach && { ...t.outreach, quietHours: { start: '22:00', end: '07:00', days: [] } },
    }));
    const { w, chat, service, draft } = setUp(config);
    // 2026-11-26T15:30Z is 23:30 in Singapore: quiet until 07:00 local (23:00Z).
    w.clock.setTime(Date.parse('2026-11-26T15:30:00Z'));
    const held = service.approve(draft('aurora', 'q')?.id as number, 'U0STAFF001');
    expect(plainText(held.message)).toMatch(/Held by quiet hours for Aurora Labs: it goes out in 7h 30m/);
    await w.drain();
    expect(chat.customerPosts).toEqual([]);
    w.clock.setTime(Date.parse('2026-11-26T22:59:59.999Z'));
    await w.drain();
    expect(chat.customerPosts).toEqual([]);
    w.clock.setTime(Date.parse('2026-11-26T23:00:00Z'));
    await w.drain();
    expect(chat.customerPosts).toHaveLength(1);
  });
});

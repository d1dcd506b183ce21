import { describe, expect, it } from 'vitest';
import type { IncidentCardView } from '../../../../src/slack/views/incident-card.js';
import {
  type IncidentListItem,
  renderIncidentDetail,
  renderIncidentList,
  type TimelineEntry,
} from '../../../../src/slack/views/incident-text.js';
import { allText, expectWithinBlockKitLimits } from './block-limits.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 5, 14, 10, 12); // Sat 03:12 PDT

function item(overrides: Partial<IncidentListItem> = {}): IncidentListItem {
  return {
    id: 42,
    ref: 'INC-42',
    tenantName: 'Nimbus',
    cluster: 'sjc-obj-01',
    category: 'storage-node',
    severity: 2,
    status: 'open',
    title: 'D-node dnode-3 down',
    alarmCount: 12,
    firingCount: 3,
    firstSeen: T0,
    ...overrides,
  };
}

function card(overrides: Partial<IncidentCardView> = {}): IncidentCardView {
  return {
    ...item(),
    severity: 1,
    site: 'San Jose',
    suppressedCount: 2,
    silencedCount: 0,
    omittedCount: 0,
    flapping: false,
    lastSeen: T0 + 5 * MIN,
    timezone: 'America/Los_Angeles',
    responsible: 'U0123ABCD',
    recentAlarms: [],
    actions: { case: { enabled: true }, escalate: { enabled: true } },
    extraButtons: [],
    extraNotes: [],
    ...overrides,
  };
}

describe('renderIncidentList', () => {
  it('says so when there is nothing open', () => {
    expect(renderIncidentList([], { now: T0, tenantName: 'Nimbus' }).text).toBe(
      'No open incidents for Nimbus.',
    );
    expect(renderIncidentList([item({ status: 'resolved' })], { now: T0 }).text).toBe('No open incidents.');
  });

  it('writes one line per open incident with ref, severity, where, what, alarms, age and status', () => {
    const { text, blocks } = renderIncidentList([item()], { now: T0 + 65 * MIN, tenantName: 'Nimbus' });
    expect(text).toBe(
      [
        '*Open incidents for Nimbus* (1)',
        ':large_orange_circle: `INC-42` *Sev2* · Nimbus · `sjc-obj-01` · storage-node · D-node dnode-3 down · ' +
          '12 alarms (3 firing) · 1h 5m · open',
      ].join('\n'),
    );
    expect(allText(blocks)).toBe(text);
  });

  it('puts the most severe first, then the oldest, and leaves resolved ones out', () => {
    const { text } = renderIncidentList(
      [
        item({ id: 1, ref: 'INC-1', severity: 3, firstSeen: T0 - 60 * MIN }),
        item({ id: 2, ref: 'INC-2', severity: 1, firstSeen: T0 }),
        item({ id: 3, ref: 'INC-3', severity: 1, firstSeen: T0 - 5 * MIN, status: 'acknowledged' }),
        item({ id: 4, ref: 'INC-4', severity: 1, status: 'resolved' }),
      ],
      { now: T0 + MIN },
    );
    const refs = [...text.matchAll(/`(INC-\d+)`/g)].map((m) => m[1]);
    expect(refs).toEqual(['INC-3', 'INC-2', 'INC-1']);
    expect(text).toMatch(/^\*Open incidents\* \(3\)/);
    expect(text).toContain('acknowledged');
  });

  it('accepts card views as items', () => {
    expect(renderIncidentList([card()], { now: T0 }).text).toContain('`INC-42` *Sev1*');
  });

  it('stays within limits for a storm of incidents and says how many were left out', () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      item({
        id: i + 1,
        ref: `INC-${i + 1}`,
        title: `<!channel> ${'t'.repeat(400)}`,
        tenantName: 'n'.repeat(300),
      }),
    );
    const { text, blocks } = renderIncidentList(many, { now: T0 });
    expectWithinBlockKitLimits(blocks);
    expect(text.length).toBeLessThanOrEqual(4000);
    expect(allText(blocks)).toContain('… and 400 more');
    expect(allText(blocks)).not.toContain('<!channel>');
  });
});

describe('renderIncidentDetail', () => {
  const entry = (i: number): TimelineEntry => ({
    at: T0 + i * MIN,
    kind: 'alarm',
    text: `entry ${i}`,
  });

  it('shows the facts, then the timeline oldest to newest', () => {
    const timeline: TimelineEntry[] = [
      { at: T0 + 10 * MIN, kind: 'ack', actor: 'U0999ZZZZ', text: 'acknowledged' },
      { at: T0, kind: 'opened', actor: null, text: 'opened by DNODE_DOWN' },
    ];
    const { text, blocks } = renderIncidentDetail(
      card({ status: 'acknowledged', acknowledgedBy: { user: 'U0999ZZZZ', at: T0 + 10 * MIN } }),
      timeline,
    );
    expectWithinBlockKitLimits(blocks);
    expect(text).toContain(':red_circle: *Sev1 INC-42: D-node dnode-3 down*');
    expect(text).toContain('Customer: Nimbus · Cluster: `sjc-obj-01` (San Jose) · Category: storage-node');
    expect(text).toContain('Alarms: 12 (3 firing) · Suppressed: 2 inhibited');
    expect(text).toContain('First seen: Sat 14 Jun 03:12 PDT (10:12 UTC)');
    expect(text).toContain('Status: Acknowledged by <@U0999ZZZZ> after 10m');
    const opened = text.indexOf('opened by DNODE_DOWN');
    const acked = text.indexOf('*ack* <@U0999ZZZZ> acknowledged');
    expect(opened).toBeGreaterThan(text.indexOf('*Timeline*'));
    expect(acked).toBeGreaterThan(opened);
    expect(text).toContain('• 14 Jun 03:12 PDT / 10:12 UTC *opened* opened by DNODE_DOWN');
  });

  it('keeps at most 40 timeline lines, the newest, and counts the earlier ones', () => {
    const timeline = Array.from({ length: 100 }, (_, i) => entry(i)).reverse();
    const { blocks } = renderIncidentDetail(card(), timeline);
    expectWithinBlockKitLimits(blocks);
    const text = allText(blocks);
    const lines = text.slice(text.indexOf('*Timeline*')).split('\n').slice(1);
    expect(lines).toHaveLength(40);
    expect(lines[0]).toBe('_… 61 earlier entries_');
    expect(lines[1]).toContain('entry 61');
    expect(lines[39]).toContain('entry 99');
    expect(text).not.toContain('entry 60 ');
  });

  it('shows exactly 40 entries without an ellipsis line', () => {
    const text = allText(
      renderIncidentDetail(
        card(),
        Array.from({ length: 40 }, (_, i) => entry(i)),
      ).blocks,
    );
    expect(text).not.toContain('earlier');
    expect(text).toContain('entry 0');
  });

  it('says when the timeline is empty, and escapes entry text', () => {
    expect(renderIncidentDetail(card(), []).text).toContain('_No timeline entries yet._');
    const { text } = renderIncidentDetail(card(), [{ at: T0, kind: 'note', text: '<!channel> hi' }]);
    expect(text).toContain('&lt;!channel&gt; hi');
  });

  it('stays within limits with huge entries', () => {
    const timeline = Array.from({ length: 300 }, (_, i) => ({ ...entry(i), text: 'w'.repeat(5000) }));
    const { blocks, text } = renderIncidentDetail(card({ title: 'T'.repeat(10_000) }), timeline);
    expectWithinBlockKitLimits(blocks);
    expect(text.length).toBeLessThanOrEqual(4000);
  });
});

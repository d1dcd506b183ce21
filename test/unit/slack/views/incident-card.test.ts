import type { ActionsBlock, Button, KnownBlock, Overflow, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  type IncidentCardView,
  parseSeverityOptionValue,
  renderIncidentCard,
} from '../../../../src/slack/views/incident-card.js';
import { actionIds, allText, expectWithinBlockKitLimits } from './block-limits.js';

const MIN = 60_000;
// Saturday 14 June 2025, 10:12 UTC = 03:12 in Los Angeles (PDT).
const T0 = Date.UTC(2025, 5, 14, 10, 12);

function view(overrides: Partial<IncidentCardView> = {}): IncidentCardView {
  return {
    id: 42,
    ref: 'INC-42',
    tenantName: 'Nimbus GPU Cloud',
    cluster: 'sjc-obj-01',
    site: 'San Jose',
    category: 'storage-node',
    severity: 1,
    status: 'open',
    title: 'D-node dnode-3 down',
    alarmCount: 12,
    firingCount: 3,
    suppressedCount: 0,
    silencedCount: 0,
    omittedCount: 0,
    flapping: false,
    firstSeen: T0,
    lastSeen: T0 + 7 * MIN,
    timezone: 'America/Los_Angeles',
    responsible: 'U0123ABCD',
    recentAlarms: [
      { summary: 'D-node dnode-3 down', componentId: 'dnode-3', status: 'firing', at: T0 + 7 * MIN },
      { summary: 'SSD ssd-7 missing', componentId: 'ssd-7', status: 'resolved', at: T0 + 2 * MIN },
    ],
    actions: { case: { enabled: true }, escalate: { enabled: true } },
    extraButtons: [],
    extraNotes: [],
    ...overrides,
  };
}

function actionsBlock(blocks: KnownBlock[]): ActionsBlock | undefined {
  return blocks.find((b): b is ActionsBlock => b.type === 'actions');
}

function fieldTexts(blocks: KnownBlock[]): string[] {
  const section = blocks.find((b): b is SectionBlock => b.type === 'section' && b.fields !== undefined);
  return (section?.fields ?? []).map((f) => f.text);
}

describe('renderIncidentCard: actions per status', () => {
  it('an open incident offers every action, ack first', () => {
    const { blocks } = renderIncidentCard(view());
    expect(actionIds(blocks)).toEqual([
      'incident_ack',
      'incident_escalate',
      'incident_case',
      'incident_resolve',
      'incident_silence_1h',
      'incident_silence_4h',
      'incident_severity',
    ]);
    expectWithinBlockKitLimits(blocks);
  });

  it('hides Acknowledge once acknowledged', () => {
    const { blocks } = renderIncidentCard(
      view({ status: 'acknowledged', acknowledgedBy: { user: 'U0999ZZZZ', at: T0 + 12 * MIN } }),
    );
    const ids = actionIds(blocks);
    expect(ids).not.toContain('incident_ack');
    expect(ids).toEqual(
      expect.arrayContaining(['incident_resolve', 'incident_silence_1h', 'incident_severity']),
    );
    expect(fieldTexts(blocks).join('\n')).toContain('Acknowledged by <@U0999ZZZZ> after 12m');
  });

  it('a resolved incident has no buttons and says who resolved it and after how long', () => {
    const { blocks, text } = renderIncidentCard(
      view({
        status: 'resolved',
        firingCount: 0,
        acknowledgedBy: { user: 'U0999ZZZZ', at: T0 + 5 * MIN },
        resolvedBy: { user: 'U0999ZZZZ', at: T0 + 65 * MIN, auto: false },
      }),
    );
    expect(actionsBlock(blocks)).toBeUndefined();
    expect(actionIds(blocks)).toEqual([]);
    expect(allText(blocks)).toContain('Resolved by <@U0999ZZZZ> after 1h 5m');
    expect(allText(blocks)).not.toContain('not available');
    expect(text).toMatch(/resolved/);
    expect(text).not.toContain('<@U0123ABCD>');
  });

  it('says when the incident resolved by itself', () => {
    const { blocks } = renderIncidentCard(
      view({ status: 'resolved', resolvedBy: { user: null, at: T0 + 30 * MIN, auto: true } }),
    );
    expect(allText(blocks)).toContain('Resolved automatically after 30m');
  });

  it('every button carries the incident id; the severity menu excludes the current severity', () => {
    const { blocks } = renderIncidentCard(view({ severity: 2 }));
    const elements = actionsBlock(blocks)?.elements ?? [];
    for (const b of elements.filter((e): e is Button => e.type === 'button')) expect(b.value).toBe('42');
    const overflow = elements.find((e): e is Overflow => e.type === 'overflow');
    expect(overflow?.options.map((o) => o.value)).toEqual(['42:1', '42:3', '42:4']);
    expect(overflow?.options.map((o) => o.text.text)).toEqual([
      'Change to Sev1',
      'Change to Sev3',
      'Change to Sev4',
    ]);
    expect(parseSeverityOptionValue('42:3')).toEqual({ incidentId: 42, severity: 3 });
    expect(parseSeverityOptionValue('42:5')).toBeUndefined();
  });

  it('asks for confirmation before resolving while alarms still fire', () => {
    const resolve = (v: IncidentCardView) =>
      actionsBlock(renderIncidentCard(v).blocks)?.elements.find(
        (e): e is Button => 'action_id' in e && e.action_id === 'incident_resolve',
      );
    expect(resolve(view())?.confirm?.text.text).toBe('3 alarms are still firing. Resolve INC-42 anyway?');
    expect(resolve(view({ firingCount: 0 }))?.confirm).toBeUndefined();
  });
});

describe('renderIncidentCard: disabled integrations', () => {
  it('leaves the buttons out and says why on a context line', () => {
    const { blocks } = renderIncidentCard(
      view({
        actions: {
          case: { enabled: false, why: 'Salesforce is not connected to opsbot yet' },
          escalate: { enabled: false, why: 'Jira/Orion is not connected to opsbot yet' },
        },
      }),
    );
    const ids = actionIds(blocks);
    expect(ids).not.toContain('incident_case');
    expect(ids).not.toContain('incident_escalate');
    expect(ids).toContain('incident_ack');
    const context = blocks.filter((b) => b.type === 'context');
    const last = allText(context.slice(-1));
    expect(last).toContain('Open Salesforce case: not available — Salesforce is not connected to opsbot yet');
    expect(last).toContain('Escalate to Orion: not available — Jira/Orion is not connected to opsbot yet');
  });

  it('explains a disabled integration even without a reason', () => {
    const { blocks } = renderIncidentCard(
      view({ actions: { case: { enabled: false }, escalate: { enabled: true } } }),
    );
    expect(allText(blocks)).toContain('Open Salesforce case: not available — not configured');
    expect(actionIds(blocks)).toContain('incident_escalate');
  });
});

describe('renderIncidentCard: content', () => {
  it('shows severity and title in the header and the key facts as fields', () => {
    const { blocks } = renderIncidentCard(view());
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':red_circle: Sev1 · INC-42 · D-node dnode-3 down', emoji: true },
    });
    const fields = fieldTexts(blocks);
    expect(fields).toEqual([
      '*Customer*\nNimbus GPU Cloud',
      '*Cluster / site*\n`sjc-obj-01` · San Jose',
      '*Category*\nstorage-node',
      '*Alarms*\n12 (3 firing)',
      '*First seen*\nSat 14 Jun 03:12 PDT (10:12 UTC)',
      '*Last seen*\nSat 14 Jun 03:19 PDT (10:19 UTC)',
      '*Responsible*\n<@U0123ABCD>',
      '*Status*\nOpen, not acknowledged yet',
    ]);
  });

  it('renders times in the tenant zone plus UTC, with the UTC day when it differs', () => {
    const late = Date.UTC(2025, 5, 14, 20, 0); // Sun 05:00 in Tokyo
    const fields = fieldTexts(renderIncidentCard(view({ timezone: 'Asia/Tokyo', firstSeen: late })).blocks);
    expect(fields).toContain('*First seen*\nSun 15 Jun 05:00 GMT+9 (Sat 20:00 UTC)');
    const utc = fieldTexts(renderIncidentCard(view({ timezone: 'UTC' })).blocks);
    expect(utc).toContain('*First seen*\nSat 14 Jun 10:12 UTC');
    // A bad zone must not print "Invalid DateTime" on a Sev1 card.
    const bad = fieldTexts(renderIncidentCard(view({ timezone: 'Mars/Olympus' })).blocks);
    expect(bad).toContain('*First seen*\nSat 14 Jun 10:12 UTC');
  });

  it('shows suppressed and silenced counts only when non-zero, but always mentions inhibition', () => {
    expect(fieldTexts(renderIncidentCard(view()).blocks).join()).not.toContain('Suppressed');
    const counted = fieldTexts(renderIncidentCard(view({ suppressedCount: 4, silencedCount: 2 })).blocks);
    expect(counted).toContain('*Suppressed*\n4 inhibited · 2 silenced');
    const inhibited = renderIncidentCard(view({ inhibitedBy: 'network partition on sjc-obj-01 (INC-41)' }));
    expect(fieldTexts(inhibited.blocks)).toContain('*Suppressed*\ninhibited');
    expect(allText(inhibited.blocks)).toContain(
      ':mute: Inhibited by network partition on sjc-obj-01 (INC-41): alarms join this incident but do not page.',
    );
  });

  it('notes flapping, an active silence and a severity change with its reason', () => {
    const text = allText(
      renderIncidentCard(
        view({
          flapping: true,
          silencedUntil: { until: T0 + 60 * MIN, by: 'U0999ZZZZ', id: 'S-1' },
          severityChangedBy: { user: 'U0999ZZZZ', from: 3, reason: 'customer training jobs stalled' },
        }),
      ).blocks,
    );
    expect(text).toContain(':repeat: Flapping');
    expect(text).toContain('Silenced until Sat 14 Jun 04:12 PDT (11:12 UTC) by <@U0999ZZZZ>');
    expect(text).toContain('<@U0999ZZZZ> changed severity Sev3 → Sev1: customer training jobs stalled');
  });

  it('lists recent alarms (at most 5) and points to the rest', () => {
    const recentAlarms = Array.from({ length: 8 }, (_, i) => ({
      summary: `alarm ${i}`,
      componentId: `dnode-${i}`,
      status: 'firing' as const,
      at: T0 + i * MIN,
    }));
    const text = allText(renderIncidentCard(view({ recentAlarms, alarmCount: 12 })).blocks);
    expect(text).toContain('`dnode-4` alarm 4');
    expect(text).not.toContain('alarm 5');
    expect(text).toContain('+7 more: `/opsbot incident 42`');
  });

  it('links the case and the Jira issue', () => {
    const text = allText(
      renderIncidentCard(
        view({
          caseLink: { label: 'Case 00012345', url: 'https://sf.example/500XX' },
          jiraLink: { label: 'ORION-77', url: 'https://jira.example/browse/ORION-77' },
        }),
      ).blocks,
    );
    expect(text).toContain('<https://sf.example/500XX|Case 00012345>');
    expect(text).toContain('<https://jira.example/browse/ORION-77|ORION-77>');
  });

  it('escapes alarm text so it cannot ping a channel or forge a link', () => {
    const { blocks, text } = renderIncidentCard(
      view({
        title: 'boom <!channel> & co',
        recentAlarms: [
          { summary: '<!here> <https://evil|click>', componentId: 'x`y', status: 'firing', at: T0 },
        ],
      }),
    );
    const all = allText(blocks);
    expect(all).not.toContain('<!here>');
    expect(all).toContain('&lt;!here&gt; &lt;https://evil|click&gt;');
    expect(all).toContain("`x'y`");
    expect(text).toContain('boom &lt;!channel&gt; &amp; co');
  });

  it('the notification text pings the responsible person only while open', () => {
    expect(renderIncidentCard(view()).text).toBe(
      'Sev1 INC-42 Nimbus GPU Cloud sjc-obj-01: D-node dnode-3 down — open, 12 alarms (3 firing) <@U0123ABCD>',
    );
    expect(renderIncidentCard(view({ status: 'acknowledged' })).text).not.toContain('<@');
  });
});

describe('renderIncidentCard: Block Kit limits', () => {
  it('stays within limits with huge texts and an alarm storm', () => {
    const huge = '🔥'.repeat(3000);
    const v = view({
      title: `D-node ${'x'.repeat(10_000)}`,
      tenantName: 'N'.repeat(5000),
      cluster: 'c'.repeat(3000),
      site: 's'.repeat(3000),
      inhibitedBy: huge,
      alarmCount: 100_000,
      firingCount: 99_999,
      suppressedCount: 50_000,
      silencedCount: 7,
      flapping: true,
      severityChangedBy: { user: 'U0999ZZZZ', from: 4, reason: huge },
      recentAlarms: Array.from({ length: 500 }, (_, i) => ({
        summary: `${huge} <&> ${i}`,
        componentId: `dnode-${i}-${'z'.repeat(500)}`,
        status: 'firing' as const,
        at: T0 + i,
      })),
      caseLink: { label: huge, url: `https://sf.example/${'a'.repeat(2000)}` },
      jiraLink: { label: huge, url: 'https://jira.example/browse/ORION-1' },
      actions: { case: { enabled: false, why: huge }, escalate: { enabled: false, why: huge } },
    });
    for (const status of ['open', 'acknowledged', 'resolved'] as const) {
      const { blocks, text } = renderIncidentCard({
        ...v,
        status,
        acknowledgedBy: { user: 'U0999ZZZZ', at: T0 + 1 },
        resolvedBy: { user: null, at: T0 + 2, auto: true },
      });
      expectWithinBlockKitLimits(blocks);
      expect(text.length).toBeLessThanOrEqual(3000);
      const header = blocks[0];
      expect(header?.type === 'header' && header.text.text.endsWith('…')).toBe(true);
    }
  });

  it('never splits an emoji or an escape when truncating', () => {
    const { blocks } = renderIncidentCard(view({ title: `${'a'.repeat(130)}${'😀'.repeat(40)}` }));
    const header = blocks[0];
    const text = header?.type === 'header' ? header.text.text : '';
    expect(text.length).toBeLessThanOrEqual(150);
    // No lone surrogate: re-encoding round-trips.
    expect(Buffer.from(text, 'utf8').toString('utf8')).toBe(text);
    const escaped = allText(renderIncidentCard(view({ tenantName: '&'.repeat(3000) })).blocks);
    expect(escaped).not.toMatch(/&a?m?p?…/);
  });
});

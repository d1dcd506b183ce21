// The outreach draft card: the buttons match where the draft is, what people typed is escaped,
// the internal observation is labelled as such, and huge texts stay inside Block Kit's limits.
import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import type { DraftCard } from '../../../../src/services/outreach/ports.js';
import { renderDraftCard, renderEditModal } from '../../../../src/slack/views/outreach-draft.js';
import type { Draft } from '../../../../src/store/outreach-store.js';
import { expectWithinBlockKitLimits } from './block-limits.js';

const T0 = Date.parse('2026-11-26T09:00:00Z');

function draft(patch: Partial<Draft> = {}): Draft {
  return {
    id: 7,
    tenantId: 'aurora',
    incidentId: 3,
    findingKey: 'recurring:aurora:sgp-obj-01:cnode-4/eth3:0',
    kind: 'initial',
    detector: 'recurring',
    category: 'network',
    cluster: 'sgp-obj-01',
    observation: 'nic cnode-4/eth3 alarmed 5 times within 1 h',
    text: 'What happened: We are seeing network trouble on sgp-obj-01.',
    status: 'pending',
    generation: 0,
    sendAttempt: 0,
    createdAt: T0,
    updatedAt: T0,
    opsChannel: 'C0AURAOPS1',
    opsTs: null,
    approvedBy: null,
    approvedAt: null,
    sendAt: null,
    sentChannel: null,
    sentTs: null,
    sentAt: null,
    nextUpdateAt: null,
    lastError: null,
    ...patch,
  };
}

function card(patch: Partial<Draft> = {}, missing: string[] = []): DraftCard {
  return {
    draft: draft(patch),
    tenantName: 'Aurora Labs',
    approver: 'U0STAFF001',
    incidentRef: 'INC-3',
    missing,
  };
}

function actionIds(blocks: KnownBlock[]): string[] {
  return blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? String(e.action_id) : '')) : [],
  );
}

describe('outreach draft card', () => {
  it('asks the on-call and offers Send, Edit, Snooze and Discard while it waits', () => {
    const { text, blocks } = renderDraftCard(card(), 'Asia/Singapore');
    expect(text).toBe('Outreach draft for Aurora Labs <@U0STAFF001>');
    expect(actionIds(blocks)).toEqual([
      'outreach_send',
      'outreach_edit',
      'outreach_snooze',
      'outreach_discard',
    ]);
    expect(JSON.stringify(blocks)).toContain(
      'Internal, not sent: nic cnode-4/eth3 alarmed 5 times within 1 h',
    );
    expect(JSON.stringify(blocks)).toContain('(INC-3 · recurring trouble)');
  });

  it('offers Correct and Retract once sent, and nothing once closed', () => {
    const sent = renderDraftCard(
      card({ status: 'sent', approvedBy: 'U0STAFF002', sentAt: T0 }),
      'Asia/Singapore',
    );
    expect(actionIds(sent.blocks)).toEqual(['outreach_correct', 'outreach_retract']);
    expect(JSON.stringify(sent.blocks)).toMatch(/Sent to the customer by <@U0STAFF002> at Thu 26 Nov 17:00/);
    for (const status of ['expired', 'discarded', 'retracted'] as const)
      expect(actionIds(renderDraftCard(card({ status }), 'UTC').blocks)).toEqual([]);
  });

  it('shows the gaps to fill in and the last failure', () => {
    const { blocks } = renderDraftCard(
      card({ lastError: 'the customer channel is archived' }, ['progress']),
      'UTC',
    );
    const json = JSON.stringify(blocks);
    expect(json).toContain('Fill in {progress} with Edit before sending.');
    expect(json).toContain('The last send failed: the customer channel is archived');
  });

  it('escapes what people typed and stays within Block Kit limits for huge texts', () => {
    const { blocks } = renderDraftCard(
      card({ text: `<!here> ${'x'.repeat(5000)}`, observation: 'o'.repeat(5000) }),
      'UTC',
    );
    expect(JSON.stringify(blocks)).not.toContain('<!here>');
    expectWithinBlockKitLimits(blocks);
  });

  it('pre-fills the Edit modal and names it Correct for a sent message', () => {
    const modal = renderEditModal({ draftId: 7, text: 'hello', sent: true });
    expect(modal.private_metadata).toBe('{"draftId":7}');
    expect(JSON.stringify(modal)).toContain('"text":"Correct message"');
    expect(JSON.stringify(modal.blocks)).toContain('"initial_value":"hello"');
  });
});

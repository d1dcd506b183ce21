import type { InputBlock, ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  parseSeverityModalMetadata,
  renderSeverityModal,
  SEVERITY_MODAL_CALLBACK_ID,
} from '../../../../src/slack/views/severity-modal.js';

describe('renderSeverityModal', () => {
  const modal = renderSeverityModal({ incidentId: 42, ref: 'INC-42', from: 3, to: 1 }) as ModalView;

  it('is a modal with the callback id, metadata and buttons the submit handler expects', () => {
    expect(modal.type).toBe('modal');
    expect(modal.callback_id).toBe('incident_severity_modal');
    expect(SEVERITY_MODAL_CALLBACK_ID).toBe('incident_severity_modal');
    expect(JSON.parse(modal.private_metadata ?? '')).toEqual({ incidentId: 42, to: 1 });
    expect(modal.title.text).toBe('Change severity');
    expect(modal.title.text.length).toBeLessThanOrEqual(24);
    expect(modal.submit?.text).toBe('Change severity');
    expect(modal.close?.text.length).toBeLessThanOrEqual(24);
  });

  it('says what changes and asks why in one required multiline input', () => {
    expect(JSON.stringify(modal.blocks[0])).toContain('Raise *INC-42* from *Sev3* to *Sev1*?');
    const inputs = modal.blocks.filter((b): b is InputBlock => b.type === 'input');
    expect(inputs).toHaveLength(1);
    const input = inputs[0] as InputBlock;
    expect(input.block_id).toBe('reason');
    expect(input.optional).toBeFalsy();
    expect(input.element).toMatchObject({
      type: 'plain_text_input',
      action_id: 'reason_input',
      multiline: true,
      max_length: 500,
    });
  });

  it('words a downgrade as lowering', () => {
    const down = renderSeverityModal({ incidentId: 7, ref: 'INC-7', from: 1, to: 4 });
    expect(JSON.stringify(down.blocks[0])).toContain('Lower *INC-7* from *Sev1* to *Sev4*?');
  });

  it('asks, only when lowering, whether the customer agreed (optional: the stricter target stays without it)', () => {
    const down = renderSeverityModal({ incidentId: 7, ref: 'INC-7', from: 1, to: 2 });
    const agreement = down.blocks.find((b) => b.block_id === 'agreement') as InputBlock;
    expect(agreement.optional).toBe(true);
    expect(agreement.element).toMatchObject({
      type: 'checkboxes',
      action_id: 'agreement_input',
      options: [{ value: 'customer-agreed', text: { text: 'The customer agreed to the lower severity' } }],
    });
    expect(JSON.stringify(agreement.hint)).toContain('the Sev1 response target still applies');
    expect(modal.blocks.some((b) => b.block_id === 'agreement')).toBe(false); // raising: not asked
  });

  it('reads its metadata back and refuses anything else', () => {
    expect(parseSeverityModalMetadata(modal.private_metadata ?? '')).toEqual({ incidentId: 42, to: 1 });
    for (const bad of ['', 'nope', '{}', '{"incidentId":42,"to":5}', '{"incidentId":-1,"to":1}', 'null']) {
      expect(parseSeverityModalMetadata(bad)).toBeUndefined();
    }
  });
});

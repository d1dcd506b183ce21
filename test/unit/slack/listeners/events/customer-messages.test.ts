// Which shared-channel authors are the customer: another workspace's users (or a listed one).
import { describe, expect, it } from 'vitest';
import { isCustomerAuthor } from '../../../../../src/slack/listeners/events/customer-messages.js';

const base = { channel: 'C0AURACUST', ts: '1.000100', user: 'U0CUSTOMR1' };

describe('customer authors in a shared channel', () => {
  it('is a user of another workspace, or of a workspace listed as the customer', () => {
    expect(isCustomerAuthor({ ...base, user_team: 'T0OTHERTEAM' }, 'T0SANDBOX1', [])).toBe(true);
    expect(isCustomerAuthor({ ...base, source_team: 'T0AURORACST' }, undefined, ['T0AURORACST'])).toBe(true);
  });

  it('is not one of ours, nor a message without a team', () => {
    expect(isCustomerAuthor({ ...base, user_team: 'T0SANDBOX1' }, 'T0SANDBOX1', [])).toBe(false);
    expect(isCustomerAuthor(base, 'T0SANDBOX1', ['T0AURORACST'])).toBe(false);
  });
});

// How "who was first" and the stats read to people: lead times both ways, misses with links.
import { describe, expect, it } from 'vitest';
import { plainText } from '../../../../src/domain/message.js';
import { unfilled } from '../../../../src/services/outreach/drafts.js';
import { describe as describeResult, statsMessage } from '../../../../src/services/outreach/first-contact.js';

const T0 = Date.parse('2026-11-26T09:00:00Z');

describe('who was first, in words', () => {
  it('says we were first and by how much, or that the customer has not signalled', () => {
    expect(
      describeResult({
        weWereFirst: true,
        leadMs: 12 * 60_000,
        firstSignal: { id: 's', at: T0, kind: 'customer-message' },
      }),
    ).toBe('we reached out first, 12m before the customer wrote in the shared channel.');
    expect(describeResult({ weWereFirst: true, leadMs: null, firstSignal: undefined })).toBe(
      'we reached out first; the customer has not signalled about it.',
    );
  });

  it('says the customer was first, with their kind of signal', () => {
    expect(
      describeResult({
        weWereFirst: false,
        leadMs: -90_000,
        firstSignal: { id: 'c', at: T0, kind: 'customer-case' },
      }),
    ).toBe('the customer opened a case first, 1m 30s before our outreach.');
    expect(
      describeResult({
        weWereFirst: false,
        leadMs: null,
        firstSignal: { id: 'x', at: T0, kind: 'staff-override' },
      }),
    ).toBe('the customer reported it (staff override) first; we have not reached out.');
  });
});

describe('the stats message', () => {
  it('shows rate, median lead and each miss with its link', () => {
    const text = plainText(
      statsMessage(
        'Aurora Labs',
        {
          from: T0,
          to: T0 + 7 * 86_400_000,
          impacting: 3,
          proactive: 2,
          proactiveRate: 2 / 3,
          medianLeadMs: 600_000,
          misses: [
            {
              incidentId: 4,
              ref: 'INC-4',
              link: 'https://slack.example/p1',
              openedAt: T0,
              why: 'no-outreach',
            },
          ],
        },
        'last 7d',
      ),
    );
    expect(text).toContain('Proactive rate: 67 % (we were first on 2 of 3 customer-impacting incidents)');
    expect(text).toContain('Median lead time: 10m');
    expect(text).toMatch(/INC-4.*we never reached out/);
  });

  it('says n/a when nothing was customer-impacting', () => {
    const text = plainText(
      statsMessage(
        'Aurora Labs',
        { from: 0, to: 1, impacting: 0, proactive: 0, proactiveRate: null, medianLeadMs: null, misses: [] },
        'last 30d',
      ),
    );
    expect(text).toContain('Proactive rate: n/a (we were first on 0 of 0 customer-impacting incidents)');
  });
});

describe('placeholders left in a draft', () => {
  it('finds known placeholders only', () => {
    expect(unfilled('Update: {progress} by {nextUpdateAt}; {unknown} stays')).toEqual([
      'nextUpdateAt',
      'progress',
    ]);
    expect(unfilled('all written')).toEqual([]);
  });
});

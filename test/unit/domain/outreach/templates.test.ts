import { describe, expect, it } from 'vitest';
import {
  messageText,
  placeholderProblems,
  renderOutreach,
  templateProblems,
  valuesFromFinding,
} from '../../../../src/domain/outreach/templates.js';
import type { Finding } from '../../../../src/domain/outreach/types.js';
import { DAY, HOUR } from './fixtures.js';

const opened = Date.parse('2026-03-29T09:40:00Z'); // 10:40 BST
const capacityFinding: Finding = {
  detector: 'capacity',
  tenantId: 'helix-ai',
  key: 'capacity:helix-ai:lon-obj-01:pool-main:0',
  category: 'capacity',
  cluster: 'lon-obj-01',
  observation: 'usage of pool-main on cluster lon-obj-01 is growing by about 1.9 % per day',
  facts: { componentId: 'pool-main', thresholdPct: 90, projectedAt: opened + 6 * DAY, latestPct: 78 },
};

describe('renderOutreach', () => {
  it('fills the per-category initial template into text and placeholder runs, times in the tenant zone', () => {
    const message = renderOutreach({
      kind: 'initial',
      category: 'capacity',
      timezone: 'Europe/London',
      values: { customer: 'Helix AI', ...valuesFromFinding(capacityFinding), nextUpdateAt: opened + HOUR },
    });
    expect(message.missing).toEqual([]);
    expect(message.sections.map((s) => s.section)).toEqual(['summary', 'impact', 'actions', 'nextUpdate']);
    expect(message.sections[0]?.runs).toEqual([
      { text: 'Usage on your cluster ' },
      { placeholder: 'cluster', text: 'lon-obj-01' },
      { text: ' is growing quickly: ' },
      { placeholder: 'observation', text: capacityFinding.observation },
      { text: '.' },
    ]);
    expect(messageText(message)).toBe(
      [
        `What happened: Usage on your cluster lon-obj-01 is growing quickly: ${capacityFinding.observation}.`,
        'Impact: Nothing is affected yet; at this rate lon-obj-01 would reach 90 % around Sat 4 Apr 2026, ' +
          'after which writes may slow down or fail.',
        'What we are doing: We would like to plan added capacity or a clean-up with you well before then.',
        'Next update: We will follow up by Sun 29 Mar, 11:40 BST.',
      ].join('\n'),
    );
  });

  it('shows the case section only with a case number, and marks placeholders without a value as missing', () => {
    const base = { kind: 'update', category: 'network', timezone: 'Australia/Sydney' } as const;
    const withCase = renderOutreach({
      ...base,
      values: { customer: 'Nimbus', cluster: 'sjc-obj-01', caseNumber: '00012345', nextUpdateAt: opened },
    });
    expect(withCase.sections.map((s) => s.section)).toEqual(['summary', 'actions', 'nextUpdate', 'case']);
    expect(withCase.missing).toEqual(['progress']);
    expect(withCase.sections[0]?.runs.at(-1)).toEqual({ missing: 'progress' });
    expect(messageText(withCase).split('\n').slice(2)).toEqual([
      'Next update: We will send the next update by Sun 29 Mar, 20:40 GMT+11.',
      'Case: We are tracking this in case 00012345.',
    ]);
    const noCase = renderOutreach({
      ...base,
      values: { customer: 'Nimbus', cluster: 'c', progress: 'Fixed.' },
    });
    expect(noCase.sections.map((s) => s.section)).not.toContain('case');
  });

  it('tenant overrides replace single sections: category over default over built-in; "" drops a section', () => {
    const message = renderOutreach({
      kind: 'initial',
      category: 'network',
      timezone: 'UTC',
      values: { customer: 'Helix AI', cluster: 'lon-obj-01', observation: 'x' },
      overrides: {
        initial: {
          default: { impact: 'Default impact for {customer}.', actions: '' },
          network: { impact: 'Net {cluster}.' },
        },
        update: {},
        closing: {},
      },
    });
    expect(messageText(message)).toBe(
      [
        'What happened: We are seeing network trouble on your cluster lon-obj-01: x.',
        'Impact: Net lon-obj-01.',
        'Next update: We will send the next update by {nextUpdateAt}.',
      ].join('\n'),
    );
    expect(message.missing).toEqual(['nextUpdateAt']);
  });

  it('closing message carries the resolution time and duration', () => {
    const message = renderOutreach({
      kind: 'closing',
      category: 'storage-node',
      timezone: 'Europe/London',
      values: {
        customer: 'Helix AI',
        cluster: 'lon-obj-01',
        startedAt: opened,
        resolvedAt: opened + 80 * 60_000,
      },
    });
    expect(messageText(message)).toBe(
      [
        'Resolved: The problem on your cluster lon-obj-01 is resolved as of Sun 29 Mar, 12:00 BST.',
        'Impact: It lasted about 1h 20m.',
        'What happens now: We will keep monitoring; reply here if you still see any effect.',
      ].join('\n'),
    );
  });
});

describe('placeholder validation', () => {
  it('names unknown placeholders with the known ones and an example', () => {
    expect(placeholderProblems('Hello {customer}, {clustr} and {}')).toEqual([
      expect.stringMatching(
        /^unknown placeholder \{clustr\}; known: \{customer\}, \{cluster\}, .* \(e\.g\. "We see/,
      ),
      expect.stringMatching(/^unknown placeholder \{\}; /),
    ]);
    expect(placeholderProblems('No placeholders, a lone { brace.')).toEqual([]);
  });

  it('reports the path of every bad section', () => {
    const problems = templateProblems({
      initial: { network: { summary: '{oops}' }, default: { impact: 'fine {cluster}' } },
      update: { actions: '{nope}' },
      closing: {},
    });
    expect(problems.map((p) => p.path)).toEqual([
      ['initial', 'network', 'summary'],
      ['update', 'actions'],
    ]);
  });
});

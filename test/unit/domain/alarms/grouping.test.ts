import { describe, expect, it } from 'vitest';
import { cardDueAt, groupKey } from '../../../../src/domain/alarms/grouping.js';

const timing = {
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
  resolveQuietPeriodMs: 300_000,
};

describe('groupKey', () => {
  it('joins the configured labels in order; a missing label is empty', () => {
    expect(
      groupKey({ tenant: 'nimbus', cluster: 'sjc-obj-01', category: 'network' }, [
        'tenant',
        'cluster',
        'category',
      ]),
    ).toBe('tenant=nimbus|cluster=sjc-obj-01|category=network');
    expect(groupKey({ tenant: 'nimbus' }, ['tenant', 'site'])).toBe('tenant=nimbus|site=');
  });
});

describe('cardDueAt (Alertmanager timing)', () => {
  const opened = 1_000_000;
  it('posts the first card group_wait after the incident opened', () => {
    const card = {
      openedAt: opened,
      cardPostedAt: null,
      cardRenderedAt: null,
      version: 5,
      renderedVersion: 0,
    };
    expect(cardDueAt(card, timing, opened)).toBe(opened + 30_000);
    expect(cardDueAt(card, timing, opened + 60_000)).toBe(opened + 60_000); // overdue: now
  });

  it('updates at most once per group_interval, and only when something changed', () => {
    const posted = {
      openedAt: opened,
      cardPostedAt: opened + 30_000,
      cardRenderedAt: opened + 30_000,
      version: 3,
      renderedVersion: 3,
    };
    expect(cardDueAt(posted, timing, opened + 40_000)).toBeUndefined();
    const changed = { ...posted, version: 4 };
    expect(cardDueAt(changed, timing, opened + 40_000)).toBe(opened + 330_000);
    expect(cardDueAt(changed, timing, opened + 330_000 - 1)).toBe(opened + 330_000);
    expect(cardDueAt(changed, timing, opened + 330_000 + 1)).toBe(opened + 330_000 + 1);
  });
});

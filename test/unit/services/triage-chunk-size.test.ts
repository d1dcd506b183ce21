import { describe, expect, it } from 'vitest';
import { nextChunkBudgetMs, nextChunkSize } from '../../../src/services/triage/triage-queue.js';

describe('nextChunkSize (triage chunks sized by time, not by count)', () => {
  it('takes as many alarms as fit the budget at the last chunk’s cost per alarm', () => {
    // 40 alarms in 20 ms is 0.5 ms each: 10 fit in 5 ms.
    expect(nextChunkSize({ size: 40, ms: 20 }, 5, 250)).toBe(10);
  });

  it('grows at most twofold after a cheap chunk, and never past the maximum', () => {
    expect(nextChunkSize({ size: 25, ms: 0.5 }, 5, 250)).toBe(50);
    expect(nextChunkSize({ size: 200, ms: 1 }, 5, 250)).toBe(250);
  });

  it('still takes one alarm when a single one costs more than the budget', () => {
    expect(nextChunkSize({ size: 10, ms: 400 }, 5, 250)).toBe(1);
  });

  it('treats a chunk too fast to time as cheap', () => {
    expect(nextChunkSize({ size: 8, ms: 0 }, 5, 250)).toBe(16);
  });
});

describe('nextChunkBudgetMs (triage takes a growing share once it is behind)', () => {
  const pacing = { chunkBudgetMs: 5, maxChunkMs: 50, maxLagMs: 1000, farBehindMs: 10_000 };

  it('keeps chunks short while triage keeps up, however busy the rest is', () => {
    expect(nextChunkBudgetMs({ lagMs: 999, otherWorkMs: 40 }, pacing)).toBe(5);
  });

  it('once behind, matches the other work since the last chunk, and more when far behind', () => {
    expect(nextChunkBudgetMs({ lagMs: 1000, otherWorkMs: 20 }, pacing)).toBe(20);
    expect(nextChunkBudgetMs({ lagMs: 9000, otherWorkMs: 20 }, pacing)).toBe(20);
    expect(nextChunkBudgetMs({ lagMs: 20_000, otherWorkMs: 20 }, pacing)).toBe(40);
  });

  it('never goes below the base budget nor above the cap', () => {
    expect(nextChunkBudgetMs({ lagMs: 1000, otherWorkMs: 1 }, pacing)).toBe(5);
    expect(nextChunkBudgetMs({ lagMs: 50_000, otherWorkMs: 20 }, pacing)).toBe(50);
    // Left over from a previous run: waited "forever", and nothing ran yet.
    expect(
      nextChunkBudgetMs({ lagMs: Number.POSITIVE_INFINITY, otherWorkMs: Number.POSITIVE_INFINITY }, pacing),
    ).toBe(50);
    expect(nextChunkBudgetMs({ lagMs: Number.POSITIVE_INFINITY, otherWorkMs: 0 }, pacing)).toBe(50);
  });
});

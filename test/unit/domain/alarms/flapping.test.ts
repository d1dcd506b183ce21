import { describe, expect, it } from 'vitest';
import { isFlapping } from '../../../../src/domain/alarms/flapping.js';

const MIN = 60_000;
const policy = { transitions: 3, windowMs: 30 * MIN };
const now = 1_000 * MIN;

describe('isFlapping: N transitions inside (now − window, now]', () => {
  it('needs at least N transitions', () => {
    expect(isFlapping([now - 3 * MIN, now - 2 * MIN], now, policy)).toBe(false);
    expect(isFlapping([now - 3 * MIN, now - 2 * MIN, now - MIN], now, policy)).toBe(true);
    expect(isFlapping([now - 4 * MIN, now - 3 * MIN, now - 2 * MIN, now - MIN], now, policy)).toBe(true);
  });

  it('counts a transition 1 ms inside the window start, not one exactly at or before it', () => {
    const recent = [now - 2 * MIN, now - MIN];
    expect(isFlapping([now - 30 * MIN + 1, ...recent], now, policy)).toBe(true);
    expect(isFlapping([now - 30 * MIN, ...recent], now, policy)).toBe(false);
    expect(isFlapping([now - 30 * MIN - 1, ...recent], now, policy)).toBe(false);
  });

  it('counts a transition at now, not one after it', () => {
    const earlier = [now - 2 * MIN, now - MIN];
    expect(isFlapping([...earlier, now], now, policy)).toBe(true);
    expect(isFlapping([...earlier, now + 1], now, policy)).toBe(false);
  });

  it('does not depend on order, and an empty history is not flapping', () => {
    expect(isFlapping([now - MIN, now - 3 * MIN, now - 2 * MIN], now, policy)).toBe(true);
    expect(isFlapping([], now, policy)).toBe(false);
  });
});

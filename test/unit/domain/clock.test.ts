import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../sandbox/fake-clock.js';
import { formatDuration, parseDuration } from '../../../src/domain/clock.js';

describe('durations', () => {
  it('parses compound durations and rejects everything else', () => {
    expect(parseDuration('25m')).toBe(25 * 60_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
    expect(parseDuration('2d')).toBe(2 * 86_400_000);
    expect(parseDuration('500ms')).toBe(500);
    for (const bad of ['', '1', 'h', '1.5h', '-1h', '1 hour', '1h;drop'])
      expect(parseDuration(bad)).toBeUndefined();
  });

  it('formats durations for humans', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(90 * 60_000)).toBe('1h 30m');
    expect(formatDuration(26 * 3_600_000 + 5 * 60_000)).toBe('1d 2h');
  });
});

describe('FakeClock', () => {
  it('fires timers in time order, each at its own instant', () => {
    const clock = new FakeClock('2026-03-08T09:00:00Z');
    const seen: Array<[string, number]> = [];
    clock.setTimer(clock.now() + 2000, () => seen.push(['b', clock.now()]));
    clock.setTimer(clock.now() + 1000, () => seen.push(['a', clock.now()]));
    const cancelled = clock.setTimer(clock.now() + 1500, () => seen.push(['x', clock.now()]));
    cancelled.cancel();
    const start = clock.now();
    clock.advance('5s');
    expect(seen).toEqual([
      ['a', start + 1000],
      ['b', start + 2000],
    ]);
    expect(clock.now()).toBe(start + 5000);
  });

  it('fires a timer armed by another timer within the same advance', () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    clock.setTimer(1000, () => {
      seen.push(clock.now());
      clock.setTimer(clock.now() + 1000, () => seen.push(clock.now()));
    });
    clock.advance('10s');
    expect(seen).toEqual([1000, 2000]);
  });

  it('refuses to go backwards', () => {
    const clock = new FakeClock(10_000);
    expect(() => clock.setTime(0)).toThrow(/backwards/);
  });
});

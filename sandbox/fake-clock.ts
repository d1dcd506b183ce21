import { type Clock, parseDuration, type TimerHandle } from '../src/domain/clock.js';

interface PendingTimer {
  id: number;
  atMs: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to (GoAlert's smoke harness fast-forwards time the same way).
 * `advance` fires every timer that falls due, in order, each at its own instant.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private nextId = 1;

  constructor(start: number | Date | string = '2026-11-26T09:00:00Z') {
    this.current = typeof start === 'number' ? start : new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  setTimer(atMs: number, fn: () => void): TimerHandle {
    const timer = { id: this.nextId++, atMs, fn };
    this.timers.push(timer);
    return { cancel: () => this.removeTimer(timer.id) };
  }

  /** Moves time forward by a duration ("25m", "1h") or milliseconds, firing due timers on the way. */
  advance(by: string | number): void {
    const ms = typeof by === 'number' ? by : parseDuration(by);
    if (ms === undefined || ms < 0) throw new Error(`FakeClock.advance: not a duration: ${by}`);
    this.setTime(this.current + ms);
  }

  /** Jumps to an absolute instant (never backwards), firing due timers on the way. */
  setTime(target: number | Date | string): void {
    const targetMs = typeof target === 'number' ? target : new Date(target).getTime();
    if (targetMs < this.current) throw new Error('FakeClock cannot go backwards');
    for (;;) {
      const due = this.timers
        .filter((t) => t.atMs <= targetMs)
        .sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (!due) break;
      this.removeTimer(due.id);
      this.current = Math.max(this.current, due.atMs);
      due.fn();
    }
    this.current = targetMs;
  }

  /** When the next timer fires, if any (lets a harness step through time one wake-up at a time). */
  nextTimerAt(): number | undefined {
    return this.timers.reduce<number | undefined>(
      (min, t) => (min === undefined || t.atMs < min ? t.atMs : min),
      undefined,
    );
  }

  pendingTimers(): number {
    return this.timers.length;
  }

  private removeTimer(id: number): void {
    this.timers = this.timers.filter((t) => t.id !== id);
  }
}

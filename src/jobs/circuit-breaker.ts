import { RetryableError } from './errors.js';

export interface BreakerPolicy {
  /** Consecutive transient failures that open the circuit. */
  failureThreshold: number;
  /** First open period; doubles each time it re-opens without a success in between. */
  openMs: number;
  maxOpenMs: number;
}

interface TargetState {
  failures: number;
  opens: number;
  openUntil: number;
}

/**
 * One breaker per outside target (Salesforce, each Jira site). When a target keeps failing,
 * its jobs stop calling it and wait until the circuit half-opens; then one job probes. Waiting
 * behind an open circuit does not use up a job's attempts: an outage delays work, it does not
 * dead-letter it. Jobs of one target share a lane, so the backlog drains in order afterwards.
 */
export class CircuitBreaker {
  private readonly targets = new Map<string, TargetState>();

  constructor(private readonly policy: BreakerPolicy) {}

  async run<T>(target: string, now: number, call: () => Promise<T>): Promise<T> {
    const state = this.state(target);
    if (now < state.openUntil) {
      throw new RetryableError(`${target} is unavailable (circuit open); waiting`, {
        retryAfterMs: state.openUntil - now,
        rateLimited: true,
      });
    }
    try {
      const result = await call();
      state.failures = 0;
      state.opens = 0;
      return result;
    } catch (error) {
      if (!(error instanceof RetryableError)) throw error;
      state.failures += 1;
      if (state.failures < this.policy.failureThreshold) throw error;
      const openFor = Math.min(this.policy.maxOpenMs, this.policy.openMs * 2 ** state.opens);
      state.opens += 1;
      state.openUntil = now + openFor;
      // The target is down, not this job: wait for it without spending an attempt.
      throw new RetryableError(
        `${error.message} — ${target} looks down; pausing calls for ${Math.round(openFor / 1000)}s`,
        {
          retryAfterMs: Math.max(openFor, error.retryAfterMs ?? 0),
          rateLimited: true,
          cause: error,
        },
      );
    }
  }

  /** The target has failed too often in a row and has not answered since (open or probing). */
  isDown(target: string): boolean {
    return this.state(target).failures >= this.policy.failureThreshold;
  }

  isOpen(target: string, now: number): boolean {
    return now < this.state(target).openUntil;
  }

  private state(target: string): TargetState {
    let state = this.targets.get(target);
    if (!state) {
      state = { failures: 0, opens: 0, openUntil: 0 };
      this.targets.set(target, state);
    }
    return state;
  }
}

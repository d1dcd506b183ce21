import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/jobs/circuit-breaker.js';
import { PermanentError, RetryableError } from '../../../src/jobs/errors.js';

const policy = { failureThreshold: 3, openMs: 30_000, maxOpenMs: 120_000 };
const down = async () => {
  throw new RetryableError('503 SERVER_UNAVAILABLE');
};

async function failure(p: Promise<unknown>): Promise<RetryableError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RetryableError)) throw new Error(`expected a RetryableError, got ${String(error)}`);
  return error;
}

describe('CircuitBreaker', () => {
  it('passes failures through until the threshold, then opens and stops calling', async () => {
    const breaker = new CircuitBreaker(policy);
    let calls = 0;
    const call = async () => {
      calls++;
      return down();
    };
    expect((await failure(breaker.run('sf', 0, call))).rateLimited).toBe(false);
    expect((await failure(breaker.run('sf', 1, call))).rateLimited).toBe(false);
    const opened = await failure(breaker.run('sf', 2, call));
    expect(opened.rateLimited).toBe(true); // waiting for an outage does not spend attempts
    expect(opened.retryAfterMs).toBe(30_000);
    expect(calls).toBe(3);
    const waiting = await failure(breaker.run('sf', 10_000, call));
    expect(waiting.message).toMatch(/circuit open/);
    expect(waiting.retryAfterMs).toBe(20_002);
    expect(calls).toBe(3);
    expect(breaker.isOpen('sf', 30_001)).toBe(true); // opened at t=2 for 30 s
    expect(breaker.isOpen('sf', 30_002)).toBe(false);
  });

  it('doubles the pause while the target stays down, up to the maximum, and closes on success', async () => {
    const breaker = new CircuitBreaker(policy);
    for (let i = 0; i < 3; i++) await failure(breaker.run('jira', 0, down));
    expect((await failure(breaker.run('jira', 30_000, down))).retryAfterMs).toBe(60_000); // half-open probe failed
    expect((await failure(breaker.run('jira', 90_000, down))).retryAfterMs).toBe(120_000);
    expect((await failure(breaker.run('jira', 210_000, down))).retryAfterMs).toBe(120_000);
    await expect(breaker.run('jira', 330_000, async () => 'ok')).resolves.toBe('ok');
    expect(breaker.isOpen('jira', 330_001)).toBe(false);
    // Closed again: the next failure is an ordinary one.
    expect((await failure(breaker.run('jira', 330_002, down))).rateLimited).toBe(false);
  });

  it('keeps targets apart and lets permanent errors through untouched', async () => {
    const breaker = new CircuitBreaker(policy);
    for (let i = 0; i < 3; i++) await failure(breaker.run('salesforce', 0, down));
    await expect(breaker.run('jira:JIRA', 1, async () => 'fine')).resolves.toBe('fine');
    const bad = new PermanentError('INVALID_CROSS_REFERENCE_KEY');
    await expect(breaker.run('jira:JIRA', 2, async () => Promise.reject(bad))).rejects.toBe(bad);
  });
});

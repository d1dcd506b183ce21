export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential back-off with "equal jitter": half the delay is fixed, half random, so a burst
 * of failures spreads out instead of retrying in lock-step. A remote Retry-After is a floor.
 */
export function nextRetryDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

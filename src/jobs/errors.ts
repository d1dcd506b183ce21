// Typed errors a job handler throws to tell the scheduler what to do next
// (Grafana OnCall's apps/slack/errors.py idea: the error says whether a retry makes sense).

/** Transient failure: try again later, no sooner than `retryAfterMs` when the remote said so. */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  readonly retryAfterMs: number | undefined;
  /** Rate limiting is flow control, not failure: it does not use up an attempt. */
  readonly rateLimited: boolean;

  constructor(message: string, opts: { retryAfterMs?: number; rateLimited?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.retryAfterMs = opts.retryAfterMs;
    this.rateLimited = opts.rateLimited ?? false;
  }
}

/** Retrying cannot help (bad request, missing channel, invalid config): dead-letter at once. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  /** A plain-words explanation of what a human must fix. */
  readonly hint: string | undefined;

  constructor(message: string, opts: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.hint = opts.hint;
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

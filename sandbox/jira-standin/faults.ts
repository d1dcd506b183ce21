// Fault injection for the Jira stand-in: queued failures matched by method and path, applied in the order
// queued, each for `times` calls — to exercise the adapter's handling of 429 + Retry-After, outages (5xx),
// slow answers (timeouts) and dropped connections.
import type { FaultMatcher, FaultSpec } from './types.js';

interface QueuedFault {
  matcher: FaultMatcher;
  spec: FaultSpec;
  remaining: number;
}

export class FaultPlan {
  readonly #queue: QueuedFault[] = [];

  add(matcher: FaultMatcher, spec: FaultSpec): void {
    const ok =
      spec.status === 0 ||
      (spec.status >= 200 && spec.status <= 299) ||
      (spec.status >= 400 && spec.status <= 599);
    if (!ok)
      throw new Error(`failNext: status must be 0 (drop), 2xx (delay only) or 4xx/5xx, got ${spec.status}`);
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`failNext: times must be a positive integer, got ${times}`);
    this.#queue.push({ matcher, spec, remaining: times });
  }

  /** Consumes one planned fault matching this request, if any. */
  take(method: string, path: string): FaultSpec | undefined {
    const index = this.#queue.findIndex(
      (q) =>
        (q.matcher.method === undefined || q.matcher.method.toUpperCase() === method.toUpperCase()) &&
        (q.matcher.path === undefined || q.matcher.path.test(path)),
    );
    const queued = this.#queue[index];
    if (!queued) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.#queue.splice(index, 1);
    return queued.spec;
  }

  clear(): void {
    this.#queue.length = 0;
  }
}

// Every request the stand-in answers is recorded, failures included, so tests can assert on exactly
// what the bot sent (and on what it did not send).
import type { RecordedCall } from './types.js';

interface Waiter {
  matches: (call: RecordedCall) => boolean;
  resolve: (call: RecordedCall) => void;
  reject: (error: Error) => void;
}

export class CallRecorder {
  /** Cleared in place by `clear()`, so a reference held by a test stays live. */
  readonly calls: RecordedCall[] = [];
  readonly #waiters = new Set<Waiter>();

  record(call: RecordedCall): void {
    this.calls.push(call);
    for (const waiter of [...this.#waiters]) {
      if (waiter.matches(call)) waiter.resolve(call);
    }
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The first matching call already recorded, else the next one; rejects after `timeoutMs`. */
  waitForCall(
    method: string,
    predicate: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    const matches = (c: RecordedCall) => c.method === method && predicate(c);
    const seen = this.calls.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise<RecordedCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const seenMethods = this.calls.map((c) => c.method).join(', ') || 'none';
        reject(new Error(`no matching ${method} call within ${timeoutMs} ms (calls so far: ${seenMethods})`));
      }, timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = {
        matches,
        resolve: (call) => {
          settle();
          resolve(call);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    this.calls.length = 0;
  }

  /** On stop: nobody will call any more, so fail pending waits now rather than at their timeout. */
  rejectWaiters(reason: string): void {
    for (const waiter of [...this.#waiters]) waiter.reject(new Error(reason));
  }
}

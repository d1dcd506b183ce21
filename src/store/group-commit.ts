import type { Db } from './db.js';

interface Pending {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes requested in the same tick run in ONE SQLite transaction, and each caller
 * hears back only after that transaction committed. Under load a commit (the WAL write) is the
 * largest cost of an alarm; sharing it between the alarms that arrive together multiplies
 * throughput while keeping "stored before acknowledged" exact. Each write runs in its own
 * savepoint, so one failing write rolls back alone and only its caller sees the error.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private flushing = false;
  private readonly locals = new Map<object, unknown>();

  /** BEGIN…COMMIT, or a savepoint when already in one (made once; see unit-of-work.ts). */
  private readonly inTransaction: (fn: () => unknown) => unknown;

  constructor(db: Db) {
    this.inTransaction = db.transaction((fn: () => unknown) => fn());
  }

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * State the writes of one flush share — lookups every alarm of a storm would otherwise repeat —
   * made by `create` on first use. It lives no longer than the transaction it describes: dropped
   * when the flush ends, and as soon as one of its writes fails, because that write's savepoint
   * rolled back whatever it had recorded there. Undefined outside a flush (the caller then keeps
   * its own, for its own transaction).
   */
  local<T>(owner: object, create: () => T): T | undefined {
    if (!this.flushing) return undefined;
    let value = this.locals.get(owner) as T | undefined;
    if (value === undefined) {
      value = create();
      this.locals.set(owner, value);
    }
    return value;
  }

  /** Commits everything queued now (also used at shutdown). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    this.flushing = true;
    try {
      this.inTransaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: this.inTransaction(item.fn) });
          } catch (error) {
            this.locals.clear();
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch is stored.
      for (const item of batch) item.reject(error);
      return;
    } finally {
      this.flushing = false;
      this.locals.clear();
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) item.resolve(outcome.value);
      else item.reject(outcome?.error);
    });
  }
}

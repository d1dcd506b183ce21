// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever COMMIT
// crosses 1,000 WAL pages: that commit copies the pages into the database file and fsyncs it, on
// the main thread, while alarms wait for their 202 (the profile charged ~20 µs per alarm to it).
// Here the main connection turns the automatic checkpoint off and a worker thread with its own
// connection runs PASSIVE checkpoints (never blocking the writer) every `intervalMs`. Durability is
// unchanged: a commit is durable once in the WAL (synchronous=NORMAL), checkpointing only moves it.
// If the worker dies, the main connection takes automatic checkpoints back, so the WAL stays bounded.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from './db.js';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); checkpoint(); db.close(); parentPort.postMessage('stopped'); }
});
`;

/** SQLite's default wal_autocheckpoint, restored if the worker fails. */
const AUTO_CHECKPOINT_PAGES = 1000;

export class Checkpointer {
  private stopped = false;

  private constructor(
    private readonly worker: Worker,
    private readonly db: Db,
    private readonly logger: Logger,
  ) {
    worker.on('error', (error) => this.fallBack(error));
    worker.on('exit', (code) => {
      if (!this.stopped) this.fallBack(new Error(`checkpoint worker exited with code ${code}`));
    });
  }

  /** Starts the worker for a file database; in-memory databases have no WAL (undefined). */
  static start(db: Db, path: string, logger: Logger, intervalMs = 200): Checkpointer | undefined {
    if (path === ':memory:' || db.memory) return undefined;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, intervalMs } });
    // The worker must not keep a finished process alive.
    worker.unref();
    db.pragma('wal_autocheckpoint = 0');
    return new Checkpointer(worker, db, logger);
  }

  private fallBack(error: unknown): void {
    if (this.stopped || !this.db.open) return;
    this.stopped = true;
    this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    this.logger.error({ err: error }, 'WAL checkpoint worker failed; checkpointing on the main thread again');
  }

  /** A last checkpoint, then the worker ends (before the main connection closes). */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const done = new Promise<void>((resolve) => {
      this.worker.once('message', () => resolve());
      this.worker.once('exit', () => resolve());
    });
    this.worker.postMessage('stop');
    await done;
    await this.worker.terminate();
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }
}

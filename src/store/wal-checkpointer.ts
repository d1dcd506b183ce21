// Checkpoints off the event loop. SQLite's auto-checkpoint runs inside whichever commit takes the
// WAL past 1,000 pages, on the committing thread — ours, the one that answers Slack and the webhook
// doors — and it writes the pages back and fsyncs both files: a pause of tens of milliseconds in
// the middle of a storm, felt by every request in flight (the doors' ack p99).
// A checkpoint adds nothing to durability: with WAL and synchronous=NORMAL a commit is durable once
// it is in the WAL; checkpoints only copy it into the main file so that the WAL stops growing. So
// the app's connection does not auto-checkpoint, and a worker thread with its own connection runs a
// PASSIVE checkpoint every `intervalMs` (PASSIVE never blocks writers nor waits for them). If that
// worker ever fails, the connection goes back to auto-checkpointing.
// The WAL starts over only at a write that finds every frame of it already copied, and under a
// storm that never pauses the worker never gets there: this thread writes new frames while it
// copies the old ones (a month of steady alarms left a 3 GB WAL). So once the WAL is past
// `walLimitBytes`, this thread finishes the worker's pass itself, right after it: it copies only
// the frames written during that pass, and the next write starts the WAL over. `journal_size_limit`
// then truncates the file back to the limit.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Db } from './db.js';

/** SQLite's own default, restored if the worker cannot run. */
const AUTO_CHECKPOINT_PAGES = 1000;
export const CHECKPOINT_INTERVAL_MS = 500;
/** Four times the WAL SQLite lets grow before it checkpoints itself (1,000 pages of 4 KiB). */
export const WAL_LIMIT_BYTES = 16 * 1024 * 1024;

export interface CheckpointOptions {
  intervalMs?: number;
  walLimitBytes?: number;
}

// CommonJS, run with `eval` so that it needs no file of its own in src/ and in the build alike.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
// Each pass says how many frames the WAL holds (log) and how many it copied (checkpointed).
const timer = setInterval(() => parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]), workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  private stopping = false;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    db: Db,
    logger: Logger,
    walLimitBytes: number,
  ) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    worker.on('message', (pass: { log: number; checkpointed: number }) => {
      if (this.stopping || !db.open || pass.log * pageSize <= walLimitBytes) return;
      db.pragma('wal_checkpoint(PASSIVE)');
    });
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    const fallBack = (why: unknown) => {
      if (this.stopping || !db.open) return;
      logger.warn(
        { err: why },
        'WAL checkpoints moved back onto the main thread: the checkpoint worker stopped',
      );
      db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    };
    worker.on('error', fallBack);
    worker.on('exit', (code) => {
      if (code !== 0) fallBack(new Error(`exit code ${code}`));
    });
    // A helper: it never keeps the process alive on its own.
    worker.unref();
  }

  /** Takes checkpoints of `db` (opened on the file at `path`) off its thread. */
  static start(db: Db, path: string, logger: Logger, options: CheckpointOptions = {}): WalCheckpointer {
    const { intervalMs = CHECKPOINT_INTERVAL_MS, walLimitBytes = WAL_LIMIT_BYTES } = options;
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${walLimitBytes}`);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), path, intervalMs },
    });
    return new WalCheckpointer(worker, db, logger, walLimitBytes);
  }

  /** Before the connection closes (which takes the last checkpoint itself). */
  async stop(): Promise<void> {
    if (this.stopping) return this.exited;
    this.stopping = true;
    // Held again while it closes: waiting on an unref'd worker would let the process exit first.
    this.worker.ref();
    this.worker.postMessage('stop');
    await this.exited;
  }
}

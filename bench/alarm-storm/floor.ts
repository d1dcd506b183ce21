// The floor for the webhook door: a raw node:http server that does the least a durable intake can
// do — read the body, INSERT it into SQLite (one row per request) with the bot's durability settings
// (WAL, synchronous=NORMAL, checkpoints on a worker thread, the same GroupCommit that shares one commit between the requests of a
// tick) and answer 202 only after the commit. Bot ÷ floor shows how close the bot is to what
// node:http + better-sqlite3 can do on this machine; nothing is parsed or validated here.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { applyPragmas, type Db } from '../../src/store/db.js';
import { GroupCommit } from '../../src/store/group-commit.js';
import { WalCheckpointer } from '../../src/store/wal-checkpointer.js';

export class FloorServer {
  private constructor(
    private readonly server: Server,
    private readonly db: Db,
    private readonly checkpoints: WalCheckpointer,
    private readonly dir: string,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FloorServer> {
    const dir = mkdtempSync(join(tmpdir(), 'opsbot-bench-floor-'));
    const path = join(dir, 'floor.db');
    const db = new Database(path);
    applyPragmas(db);
    const checkpoints = WalCheckpointer.start(db, path, pino({ level: 'silent' }));
    db.exec(`CREATE TABLE raw (id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, body TEXT NOT NULL)`);
    const insert = db.prepare('INSERT INTO raw (received_at, body) VALUES (?, ?)');
    const commits = new GroupCommit(db);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        commits
          .run(() => insert.run(Date.now(), body))
          .then(
            () => {
              res.writeHead(202, { 'content-type': 'application/json' });
              res.end('{"accepted":1}');
            },
            () => {
              res.writeHead(500);
              res.end();
            },
          );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    return new FloorServer(server, db, checkpoints, dir, `http://127.0.0.1:${port}`);
  }

  rows(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM raw').get() as { n: number }).n;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.checkpoints.stop();
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

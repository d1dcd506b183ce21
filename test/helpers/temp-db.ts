import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory for a real SQLite file; remove() deletes it. */
export function tempDir(prefix = 'opsbot-test-'): { dir: string; dbPath: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dbPath: join(dir, 'opsbot.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

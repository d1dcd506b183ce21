// The globalSetup that builds dist/ for process.test.ts: it must rebuild exactly when dist/main.js
// is missing or older than something the build reads, and leave a fresh build alone.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-db.js';
import { staleReason } from '../../setup/build.js';

let tmp: ReturnType<typeof tempDir> | undefined;
afterEach(() => tmp?.remove());

/** A src/ tree with one file and a dist/main.js, with the given modification times (seconds). */
function tree(times: { source: number; main?: number }) {
  tmp = tempDir('opsbot-build-');
  const src = join(tmp.dir, 'src');
  const main = join(tmp.dir, 'dist', 'main.js');
  mkdirSync(join(src, 'store'), { recursive: true });
  writeFileSync(join(src, 'store', 'a.ts'), '');
  utimesSync(join(src, 'store', 'a.ts'), times.source, times.source);
  utimesSync(join(src, 'store'), 1000, 1000);
  utimesSync(src, 1000, 1000);
  if (times.main !== undefined) {
    mkdirSync(join(tmp.dir, 'dist'));
    writeFileSync(main, '');
    utimesSync(main, times.main, times.main);
  }
  return { src, main };
}

describe('the dist/ build check before the test run', () => {
  it('asks for a build when dist/main.js is missing', () => {
    const { src, main } = tree({ source: 2000 });
    expect(staleReason(main, [src])).toMatch(/main\.js is missing/);
  });

  it('asks for a build when a file deep under src/ is newer than dist/main.js', () => {
    const { src, main } = tree({ source: 3000, main: 2000 });
    expect(staleReason(main, [src])).toMatch(/src changed since .*main\.js was built/);
  });

  it('leaves a build that is newer than every input alone', () => {
    const { src, main } = tree({ source: 2000, main: 3000 });
    expect(staleReason(main, [src, join(src, '..', 'no-such-file')])).toBeUndefined();
  });
});

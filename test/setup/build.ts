// Vitest globalSetup: test/e2e/process.test.ts runs the compiled dist/main.js, so a fresh clone
// (or a src/ edit since the last build) would test a missing or stale program. Rebuild once,
// before any test file starts, when dist/main.js is missing or older than its inputs; otherwise
// do nothing so `npx vitest run` stays fast. `npm test` builds first and always skips this.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = 'dist/main.js';
/** Everything the build reads: a change to any of these can change dist/. */
const INPUTS = ['src', 'tsconfig.build.json', 'tsconfig.json', 'scripts/copy-assets.mjs'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted file only shows as a newer directory
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why dist/ must be rebuilt, or undefined when it is up to date. */
export function staleReason(main = MAIN, inputs = INPUTS): string | undefined {
  if (!existsSync(main)) return `${main} is missing`;
  const built = statSync(main).mtimeMs;
  const changed = inputs.filter((p) => existsSync(p) && newestMtime(p) > built);
  return changed.length > 0 ? `${changed.join(', ')} changed since ${main} was built` : undefined;
}

export default function setup(): void {
  const reason = staleReason();
  if (!reason) return;
  console.log(`[build] ${reason}: running npm run build`);
  // npm's own launcher of this Node, so the build uses the Node running the tests.
  execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
  if (!existsSync(MAIN)) throw new Error(`npm run build did not produce ${MAIN}`);
  // An incremental tsc may skip rewriting an unchanged main.js; mark this build as the fresh one.
  const now = new Date();
  utimesSync(MAIN, now, now);
}

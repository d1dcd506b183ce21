// The unit-test tree mirrors src/, so the tests of a module are found where the module is:
// test/unit/domain/alarms/x.test.ts tests src/domain/alarms/x.ts. test/unit/setup/ tests the
// test setup itself (test/setup/), and files directly in test/unit/ may test the whole repo.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const UNIT = 'test/unit';
const MIRRORS: Record<string, string> = { setup: 'test/setup' };

function directories(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => [join(dir, e.name), ...directories(join(dir, e.name))]);
}

describe('the unit-test tree', () => {
  it('has a folder only where src/ (or test/setup/) has the same folder', () => {
    const orphans = directories(UNIT).filter((dir) => {
      const [top = '', ...rest] = relative(UNIT, dir).split('/');
      const mirror = MIRRORS[top] ? join(MIRRORS[top], ...rest) : join('src', top, ...rest);
      return !existsSync(mirror);
    });
    expect(orphans, 'move these tests next to the src/ folder they test').toEqual([]);
  });
});

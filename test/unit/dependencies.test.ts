// package.json must say what production needs: the image installs only `dependencies`
// (npm ci --omit=dev), so a package src/ loads at runtime but lists as a devDependency crashes
// the container, and a `dependencies` entry nothing in src/ needs bloats it. Benchmarks, the
// sandbox and tests use devDependencies.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const dependencies = Object.keys(manifest.dependencies ?? {});
const devDependencies = Object.keys(manifest.devDependencies ?? {});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.[cm]?ts$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

interface Use {
  pkg: string;
  file: string;
  /** `import type` / `export type`: erased by tsc, so only the build needs the package. */
  typeOnly: boolean;
}

/**
 * Every npm package a file loads: static imports and re-exports (multi-line too), dynamic
 * import(), require(), and pino transport targets (pino resolves `target` as a module by name).
 */
function packagesUsedBy(file: string): Use[] {
  const text = readFileSync(file, 'utf8');
  const uses: Use[] = [];
  const patterns = [
    /^\s*(import|export)(\s+type)?\b[^;'"]*?\bfrom\s+'([^']+)'/gm,
    /^\s*import\s+'([^']+)'/gm,
    /\bimport\(\s*'([^']+)'\s*\)/g,
    /\brequire\(\s*'([^']+)'\s*\)/g,
    /\btransport:\s*\{\s*target:\s*'([^']+)'/g,
  ];
  for (const pattern of patterns) {
    for (const m of text.matchAll(pattern)) {
      const specifier = m[3] ?? m[1] ?? '';
      if (specifier.startsWith('.') || specifier.startsWith('node:') || specifier === '') continue;
      uses.push({ pkg: packageOf(specifier), file, typeOnly: m[3] !== undefined && m[2] !== undefined });
    }
  }
  return uses;
}

const uses = sourceFiles('src').flatMap(packagesUsedBy);
const runtime = new Set(uses.filter((u) => !u.typeOnly).map((u) => u.pkg));

/** Non-optional peer dependencies of production dependencies: the app has to provide them. */
const requiredPeers = new Set(
  dependencies.flatMap((dep) => {
    const peer = JSON.parse(readFileSync(join('node_modules', dep, 'package.json'), 'utf8')) as Manifest;
    return Object.keys(peer.peerDependencies ?? {}).filter(
      (name) => !peer.peerDependenciesMeta?.[name]?.optional,
    );
  }),
);

describe('package.json dependencies', () => {
  it('finds the imports it checks (a broken scan would pass everything)', () => {
    expect(runtime).toContain('zod');
    expect(runtime).toContain('@slack/bolt');
    expect(runtime).toContain('pino-pretty'); // the transport target in src/logger.ts
    expect(uses.some((u) => u.pkg === '@slack/types' && u.typeOnly)).toBe(true);
  });

  it('lists as dependencies only packages src/ loads at runtime or a dependency needs as a peer', () => {
    const unused = dependencies.filter((dep) => !runtime.has(dep) && !requiredPeers.has(dep));
    expect(unused, 'move these to devDependencies (npm install --save-dev <pkg>)').toEqual([]);
  });

  it('lists every package src/ loads at runtime as a dependency, not a devDependency', () => {
    const misplaced = [...runtime].filter((pkg) => !dependencies.includes(pkg));
    expect(misplaced, 'src/ loads these at runtime: npm install <pkg>').toEqual([]);
  });

  it('declares every package src/ imports only for types (as a dependency or devDependency)', () => {
    const undeclared = uses
      .filter((u) => !dependencies.includes(u.pkg) && !devDependencies.includes(u.pkg))
      .map((u) => `${u.pkg} (${u.file})`);
    expect(undeclared, 'src/ relies on a package package.json does not declare').toEqual([]);
  });
});

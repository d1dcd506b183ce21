// The README and .env.example are the user's door: they must name every variable the code reads.
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { parseEnv as parseDotenv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envDescriptions } from '../../src/config/env.js';

const readme = readFileSync('README.md', 'utf8');
const envExample = readFileSync('.env.example', 'utf8');
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
const dockerfile = readFileSync('Dockerfile', 'utf8');

describe('documentation', () => {
  it.each(envDescriptions().map((d) => d.name))('documents %s in the README and .env.example', (name) => {
    expect(readme).toContain(`\`${name}\``);
    expect(envExample).toMatch(new RegExp(`^${name}=`, 'm'));
  });

  it('gives exactly two Quick-start commands, and CI runs the test one', () => {
    const quickStart = readme.split('## Quick start')[1]?.split('```')[1] ?? '';
    const commands = quickStart
      .split('\n')
      .slice(1) // the fence's language tag
      .map((l) => l.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['./dev sandbox', './dev test']);
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/^exec \.\/dev test$/m);
  });

  it('only mentions npm scripts that exist', () => {
    for (const [, script] of readme.matchAll(/npm run ([a-z:]+)/g)) {
      expect(Object.keys(packageJson.scripts), `npm run ${script}`).toContain(script);
    }
  });
});

// Docker cannot run here, so the image's file layout is reasoned about from the Dockerfile text.
describe('the documented Docker command', () => {
  const image = dockerfile.split(/^FROM /m).at(-1) ?? '';
  const workdir = [...image.matchAll(/^WORKDIR (\S+)/gm)].at(-1)?.[1] ?? '/';
  const volumes = [...image.matchAll(/^VOLUME (\[.*\])/gm)].flatMap(
    (m) => JSON.parse(m[1] ?? '[]') as string[],
  );
  const links = [...image.matchAll(/\bln -s (\S+) (\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? ''] as const);
  /** Where a path ends up inside the container, following the symlinks the Dockerfile makes. */
  const realPath = (path: string) => {
    let resolved = posix.resolve(workdir, path);
    for (const [target, link] of links) {
      if (resolved === link || resolved.startsWith(`${link}/`))
        resolved = target + resolved.slice(link.length);
    }
    return resolved;
  };
  const onVolume = (path: string) => volumes.some((v) => realPath(path).startsWith(`${v}/`));
  const run = readme.match(/`(docker run [^`]+)`/)?.[1] ?? '';

  it('passes .env with --env-file and mounts the image volume', () => {
    expect(run).toContain('--env-file .env');
    const mounts = [...run.matchAll(/-v (\S+):(\S+)/g)].map((m) => m[2]);
    expect(volumes.length).toBeGreaterThan(0);
    for (const volume of volumes) expect(mounts).toContain(volume);
  });

  it('keeps the database on the volume with the .env.example value, an empty value and the image default', () => {
    const fromExample = parseDotenv(readFileSync('.env.example', 'utf8')).DATABASE_PATH ?? '';
    const whenEmpty = envDescriptions().find((d) => d.name === 'DATABASE_PATH')?.default ?? '';
    const imageDefault = image.match(/\bDATABASE_PATH=(\S+)/)?.[1] ?? '';
    for (const path of [fromExample, whenEmpty, imageDefault]) {
      expect(path).not.toBe('');
      expect(onVolume(path), `${path} → ${realPath(path)} is not on ${volumes.join(', ')}`).toBe(true);
    }
  });

  it('runs node itself, so SIGTERM from docker stop or Kubernetes reaches the bot', () => {
    expect(image).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });
});

describe('the documented start command', () => {
  it('replaces the shell with node, so signals npm forwards reach the bot (the build is a prestart step)', () => {
    expect(packageJson.scripts.start).toMatch(/^exec node .*dist\/main\.js$/);
    expect(packageJson.scripts.prestart).toBe('npm run build');
  });

  it('tells supervisors to run node directly', () => {
    const supervisor = readme.split('**Under a supervisor**')[1]?.split('**Docker:**')[0] ?? '';
    expect(supervisor).toMatch(/^ExecStart=\S*node .*dist\/main\.js$/m);
    expect(supervisor).toContain('Kubernetes');
  });
});

// The README and .env.example are the user's door: they must name every variable the code reads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envDescriptions } from '../../src/config/env.js';

const readme = readFileSync('README.md', 'utf8');
const envExample = readFileSync('.env.example', 'utf8');
const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };

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

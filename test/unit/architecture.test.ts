// The dependency rules of the README's "Architecture" section, checked on the import graph:
// data flows edge → service → domain → store, and only the edges know Slack, HTTP or the
// Salesforce/Jira adapters. A file that breaks a rule fails here, naming the import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file, as a path relative to src/ (e.g. `slack/outbox.ts`). */
function projectImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
    relative(ROOT, resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts'))),
  );
}

function violations(folder: string, forbidden: (target: string) => boolean): string[] {
  return files(join(ROOT, folder)).flatMap((file) =>
    projectImports(file)
      .filter(forbidden)
      .map((target) => `${relative(ROOT, file)} imports ${target}`),
  );
}

const isAdapter = (t: string) => t.startsWith('integrations/') && t !== 'integrations/ports.ts';

describe('dependency rules', () => {
  it('domain/ imports nothing of the project outside domain/', () => {
    expect(violations('domain', (t) => !t.startsWith('domain/'))).toEqual([]);
  });

  it('services/ never import Slack, HTTP or an integration adapter', () => {
    expect(
      violations('services', (t) => t.startsWith('slack/') || t.startsWith('http/') || isAdapter(t)),
    ).toEqual([]);
  });

  it('domain/ and services/ never import the kernel or a capability module', () => {
    const kernel = (t: string) => t === 'app.ts' || t.startsWith('capabilities/') || t === 'main.ts';
    expect([...violations('domain', kernel), ...violations('services', kernel)]).toEqual([]);
  });

  it('stores never import services, Slack or HTTP', () => {
    expect(
      violations(
        'store',
        (t) => t.startsWith('services/') || t.startsWith('slack/') || t.startsWith('http/'),
      ),
    ).toEqual([]);
  });

  it('the kernel names no capability internals (only capability modules know services)', () => {
    const imports = projectImports(join(ROOT, 'app.ts'));
    const internal = imports.filter(
      (t) => t.startsWith('capabilities/') || /^services\/(triage|integrations)\//.test(t),
    );
    expect(internal).toEqual([]);
  });

  it('the production build never includes the stand-ins or the fake clock', () => {
    const all = files(ROOT).flatMap((file) =>
      projectImports(file).map((t) => `${relative(ROOT, file)} → ${t}`),
    );
    expect(all.filter((line) => line.includes('../sandbox/') || line.includes('fake-clock'))).toEqual([]);
  });
});

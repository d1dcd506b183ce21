import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from '../../../src/config/load.js';
import { ConfigProblemsError } from '../../../src/config/problems.js';
import { buildConfigJsonSchema } from '../../../src/config/schema.js';
import { tenantSlaPolicies } from '../../../src/config/sla-schema.js';
import { MINIMAL_CONFIG_LINES } from '../../helpers/config-lines.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const file = (name: string) => `${root}config/${name}`;

function problemsOf(text: string, label = 'bad.yaml'): string[] {
  const result = parseConfigText(text, label);
  if (result.ok) throw new Error('expected problems, got a valid config');
  return result.problems;
}

// A small valid file the bad cases below start from; line numbers matter, so keep it stable.
const valid = [...MINIMAL_CONFIG_LINES];
const edit = (changes: Record<number, string>) => valid.map((line, i) => changes[i + 1] ?? line).join('\n');
const secondTenant = (id: string, alarms: string, timezone = 'Europe/London') =>
  [
    `  - id: ${id}`,
    '    name: Helix AI',
    '    region: EMEA',
    `    timezone: ${timezone}`,
    '    channels:',
    `      alarms: [${alarms}]`,
    '      customer: C0HELXCUST',
    '      ops: C0HELXOPS1',
    '    clusters:',
    '      - id: lon-obj-01',
    '        site: London',
    '    contacts:',
    '      primary: U0STAFF002',
  ].join('\n');

describe('checked-in config files', () => {
  it('the example parses, with defaults filled in', () => {
    const result = loadConfigFile(file('opsbot.example.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.tenants.map((t) => t.id)).toEqual(['nimbus', 'helix-ai']);
    const helix = result.config.tenants[1]!;
    expect(helix).toMatchObject({ region: 'EMEA', timezone: 'Europe/London', jira: { projectKey: 'ORION' } });
    expect(helix.sla).toEqual({}); // `sla: {}`: the defaults are filled in by tenantSlaPolicies, which says so
    const { policies, warnings } = tenantSlaPolicies(result.config.tenants);
    expect(policies.get('nimbus')?.penalties).toMatchObject({
      monthlyFee: 50000,
      currency: 'USD',
      capPercent: 20,
    });
    expect(policies.get('nimbus')?.severities[4].response).toEqual({ kind: 'next-business-day' });
    expect(warnings).toEqual(
      [1, 2, 3, 4].map((n) =>
        expect.stringMatching(new RegExp(`^tenants\\[1\\]\\.sla\\.severities\\.sev${n}: `)),
      ),
    );
    expect(new Set(helix.clusters.map((c) => c.site))).toEqual(new Set(['London', 'Frankfurt', 'Singapore']));
  });

  it('the sandbox config has the channel and user ids the sandbox uses', () => {
    const result = loadConfigFile(file('sandbox.yaml'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const [nimbus, helix] = result.config.tenants;
    expect(result.config.staff.userIds).toEqual(['U0STAFF001', 'U0STAFF002', 'U0VEGAMGR1', 'U0VEGACSM1']);
    expect(nimbus?.channels).toEqual({ alarms: ['C0NIMBALRM'], customer: 'C0NIMBCUST', ops: 'C0NIMBOPS1' });
    expect(helix?.channels).toEqual({
      alarms: ['C0HELXALRM', 'C0HELXALR2'],
      customer: 'C0HELXCUST',
      ops: 'C0HELXOPS1',
    });
    expect(nimbus?.contacts).toEqual({ primary: 'U0STAFF001', secondary: 'U0STAFF002' });
  });

  it('both start with the yaml-language-server schema line', () => {
    for (const name of ['opsbot.example.yaml', 'sandbox.yaml']) {
      expect(readFileSync(file(name), 'utf8').split('\n')[0]).toBe(
        '# yaml-language-server: $schema=./opsbot.schema.json',
      );
    }
  });
});

describe('defaults', () => {
  it('fills jobs, jira and staff groups when omitted; no sla block means no response clocks', () => {
    const result = parseConfigText(valid.join('\n'), 'ok.yaml');
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.jobs).toEqual({
      maxAttempts: 8,
      backoffBaseSeconds: 5,
      backoffMaxSeconds: 900,
      concurrency: 4,
    });
    expect(result.config.staff.userGroupIds).toEqual([]);
    const tenant = result.config.tenants[0]!;
    expect(tenant.sla).toBeUndefined();
    expect(tenantSlaPolicies([tenant]).policies.has('nimbus')).toBe(false);
    expect(
      tenantSlaPolicies([{ ...tenant, sla: {} }]).policies.get('nimbus')?.severities[1].response,
    ).toEqual({
      kind: 'duration',
      ms: 30 * 60_000,
    });
    expect(tenant.jira.projectKey).toBe('ORION');
    expect(tenant.salesforce).toBeUndefined();
    expect(tenant.oncall).toBeUndefined();
  });
});

describe('problems are one readable, line-numbered line each', () => {
  it('wrong type', () => {
    expect(problemsOf(`${valid.join('\n')}\njobs:\n  maxAttempts: eight`)).toEqual([
      'bad.yaml:18: jobs.maxAttempts: expected a number, found "eight"',
    ]);
  });

  it('bad channel id, with the found value quoted', () => {
    expect(problemsOf(edit({ 9: '      alarms: [alarms-nimbus]' }))).toEqual([
      'bad.yaml:9: tenants[0].channels.alarms[0]: expected a Slack channel id like C0123ABCD, found "alarms-nimbus"',
    ]);
  });

  it('long values are truncated', () => {
    const [problem] = problemsOf(edit({ 5: `    name: ${'x'.repeat(150)}` }));
    expect(problem).toMatch(
      /^bad\.yaml:5: tenants\[0\]\.name: expected at most 100 characters, found "x{59}…"$/,
    );
  });

  it('unknown key, with a suggestion when one is close', () => {
    expect(problemsOf(edit({ 8: '    chanels:' }))).toEqual([
      'bad.yaml:4: tenants[0].channels: required but missing (Slack channel ids (C… or G…), not names; each belongs to one tenant and one role)',
      "bad.yaml:8: tenants[0]: unknown key 'chanels' (did you mean 'channels'?)",
    ]);
    expect(problemsOf(`${valid.join('\n')}\npager: true`)).toEqual(["bad.yaml:17: unknown key 'pager'"]);
  });

  it('duplicate tenant id', () => {
    expect(problemsOf(`${valid.join('\n')}\n${secondTenant('nimbus', 'C0HELXALRM')}`)).toEqual([
      'bad.yaml:17: tenants[1].id: duplicate tenant id "nimbus": tenants[0] already uses it',
    ]);
  });

  it('channel shared by two tenants', () => {
    expect(problemsOf(`${valid.join('\n')}\n${secondTenant('helix-ai', 'C0HELXALRM, C0NIMBCUST')}`)).toEqual([
      'bad.yaml:22: tenants[1].channels.alarms[1]: channel C0NIMBCUST is already used by tenants[0].channels.customer (nimbus); each channel has one tenant and one role',
    ]);
  });

  it('channel used twice by one tenant', () => {
    expect(problemsOf(edit({ 11: '      ops: C0NIMBALRM' }))).toEqual([
      'bad.yaml:11: tenants[0].channels.ops: channel C0NIMBALRM is already used by tenants[0].channels.alarms[0] (nimbus); each channel has one tenant and one role',
    ]);
  });

  it('duplicate cluster id within a tenant', () => {
    const text = `${valid.slice(0, 14).join('\n')}\n      - id: sjc-obj-01\n        site: Phoenix\n${valid.slice(14).join('\n')}`;
    expect(problemsOf(text)).toEqual([
      'bad.yaml:15: tenants[0].clusters[1].id: duplicate cluster id "sjc-obj-01": clusters[0] of this tenant already uses it',
    ]);
  });

  it('bad timezone', () => {
    expect(problemsOf(edit({ 7: '    timezone: Europe/Londn' }))).toEqual([
      'bad.yaml:7: tenants[0].timezone: expected an IANA time zone like Europe/London or America/Los_Angeles, found "Europe/Londn"',
    ]);
  });

  it('many problems at once, in file order, cross-field checks included', () => {
    const text = `${edit({ 6: '    region: USA', 9: '      alarms: [nimbus-alarms]' })}\n${secondTenant('nimbus', 'C0HELXALRM', 'Mars/Base')}`;
    expect(problemsOf(text)).toEqual([
      'bad.yaml:6: tenants[0].region: expected one of "US", "EMEA", "APJ", found "USA"',
      'bad.yaml:9: tenants[0].channels.alarms[0]: expected a Slack channel id like C0123ABCD, found "nimbus-alarms"',
      'bad.yaml:17: tenants[1].id: duplicate tenant id "nimbus": tenants[0] already uses it',
      'bad.yaml:20: tenants[1].timezone: expected an IANA time zone like Europe/London or America/Los_Angeles, found "Mars/Base"',
    ]);
  });

  it('YAML syntax error gives file:line and the short reason', () => {
    const problems = problemsOf(edit({ 9: '      alarms: [C0NIMBALRM' }));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatch(/^bad\.yaml:10:\d+: YAML syntax error: \S.*$/);
    for (const p of problems) expect(p).not.toContain('\n');
  });

  it('duplicate YAML keys are a syntax error, not a silent override', () => {
    expect(problemsOf(edit({ 11: '      customer: C0NIMBOPS1' }))[0]).toMatch(
      /^bad\.yaml:11:\d+: YAML syntax error: Map keys must be unique/,
    );
  });

  it('an empty file', () => {
    expect(problemsOf('')).toEqual(['bad.yaml: expected a mapping (key: value), found an empty value']);
  });

  it('a missing file says how to create it', () => {
    expect(loadConfigFile('/nowhere/opsbot.yaml')).toEqual({
      ok: false,
      problems: [
        'config file /nowhere/opsbot.yaml not found — copy config/opsbot.example.yaml to /nowhere/opsbot.yaml',
      ],
    });
  });

  it('other read errors are reported, not swallowed', () => {
    const read = () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(loadConfigFile('x.yaml', read)).toEqual({
      ok: false,
      problems: ['config file x.yaml could not be read: EACCES: permission denied'],
    });
  });
});

describe('JSON Schema', () => {
  it('the checked-in config/opsbot.schema.json is what `npm run config:schema` generates now', () => {
    const checkedIn = JSON.parse(readFileSync(file('opsbot.schema.json'), 'utf8'));
    expect(checkedIn).toEqual(buildConfigJsonSchema());
  });

  it('has a title, a $schema and a description on every property', () => {
    const schema = buildConfigJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.title).toBe('vaas-opsbot configuration');
    const undescribed: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as { properties?: Record<string, unknown>; items?: unknown };
      for (const [key, child] of Object.entries(n.properties ?? {})) {
        if (!(child as { description?: string }).description) undescribed.push(`${where}.${key}`);
        walk(child, `${where}.${key}`);
      }
      if (n.items) walk(n.items, `${where}[]`);
    };
    walk(schema, '');
    expect(undescribed).toEqual([]);
  });
});

describe('ConfigProblemsError', () => {
  it('carries the problems and lists them in its message', () => {
    const error = new ConfigProblemsError(['a: expected x', 'b: expected y']);
    expect(error).toBeInstanceOf(Error);
    expect(error.problems).toEqual(['a: expected x', 'b: expected y']);
    expect(error.message).toBe('invalid configuration:\n  a: expected x\n  b: expected y');
  });
});

describe('sanity checks between fields', () => {
  it('rejects inverted SLA targets and job backoff bounds', () => {
    const text = [
      ...valid,
      '    sla:', //                       17
      '      sev1ResponseMinutes: 60', //  18
      '      sev2ResponseMinutes: 30', //  19
      'jobs:', //                          20
      '  backoffBaseSeconds: 60', //       21
      '  backoffMaxSeconds: 10', //        22
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'bad.yaml:19: tenants[0].sla.sev2ResponseMinutes: expected at least sev1ResponseMinutes (60), found 30',
      'bad.yaml:22: jobs.backoffMaxSeconds: expected backoffMaxSeconds to be at least backoffBaseSeconds, found 10',
    ]);
  });

  it('rejects a secondary contact equal to the primary, and no staff at all', () => {
    const text = edit({ 2: '  userIds: []', 16: '      primary: U0STAFF001\n      secondary: U0STAFF001' });
    expect(problemsOf(text)).toEqual([
      'bad.yaml:1: staff: expected at least one staff user id or user group id; otherwise nobody can run staff commands',
      'bad.yaml:17: tenants[0].contacts.secondary: expected someone other than the primary contact, found the same user',
    ]);
  });
});

describe('patterns are RE2: what RE2 lacks is a line-numbered problem at load time', () => {
  it('a rule with a lookbehind and an inhibit matcher with a backreference', () => {
    const text = [
      'triage:', //                                           1
      '  inhibitRules:', //                                    2
      '    - name: partition', //                              3
      "      sourceMatchers: ['alertname=~(NET)_\\1']", //      4
      "      targetMatchers: ['component=~cnode|dnode']", //   5
      '      equal: [cluster]', //                             6
      ...valid.slice(0, 2), //                                 7-8
      ...valid.slice(2), //                                    9-22
      '    alarms:', //                                        23
      '      rules:', //                                       24
      '        - name: uplink', //                             25
      "          match: { text: '(?<![a-z])link down' }", //   26
      '          set: { severity: 2 }', //                     27
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'bad.yaml:4: triage.inhibitRules[0].sourceMatchers[0]: `alertname=~(NET)_\\1`: backreferences (\\1, \\k<…>) are not supported (RE2 syntax).',
      'bad.yaml:26: tenants[0].alarms.rules[0].match.text: not a valid regular expression: "(?<![a-z])link down" — lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported (RE2 syntax)',
    ]);
  });

  it('accepts patterns that only a backtracking engine would choke on', () => {
    const text = [
      ...valid,
      '    alarms:', //                                        17
      '      rules:', //                                       18
      '        - name: hostile-but-harmless', //               19
      "          match: { name: '(x+x+)+y', '!summary': ['(a|a)*b'] }", // 20
      '          set: { severity: 3 }', //                     21
    ].join('\n');
    expect(parseConfigText(text, 'ok.yaml').ok).toBe(true);
  });
});

describe('npm run config:check', () => {
  const tsx = `${root}node_modules/tsx/dist/cli.mjs`;
  const run = (args: string[]) =>
    spawnSync(process.execPath, [tsx, 'src/config/check-cli.ts', ...args], { cwd: root, encoding: 'utf8' });

  it('prints ok for a valid file and exits 0', () => {
    const result = run(['config/sandbox.yaml']);
    expect(result.stdout.trim()).toBe(
      'ok: 4 tenants (nimbus, helix-ai, aurora, vega) in config/sandbox.yaml',
    );
    expect(result.status).toBe(0);
  });

  it('prints the problems and exits 2 for a bad file', () => {
    const result = run(['/nowhere/opsbot.yaml']);
    expect(result.stderr).toContain('config file /nowhere/opsbot.yaml not found');
    expect(result.status).toBe(2);
  });

  // The example names jira.site: JIRA_HELIX; "ok" alone hid that its escalations would not work.
  const withEnv = (env: Record<string, string | undefined>) =>
    spawnSync(process.execPath, [tsx, 'src/config/check-cli.ts', 'config/opsbot.example.yaml'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
    });

  it('warns, with the line, about a Jira site a tenant names but the environment does not set', () => {
    const result = withEnv({ JIRA_HELIX_BASE_URL: '' });
    expect(result.stdout.trim()).toBe('ok: 2 tenants (nimbus, helix-ai) in config/opsbot.example.yaml');
    expect(result.stderr.trim()).toBe(
      'warning: config/opsbot.example.yaml:193: tenants[1].jira.site: JIRA_HELIX has no JIRA_HELIX_BASE_URL in the environment, so escalations of helix-ai will say Jira is not configured; set JIRA_HELIX_BASE_URL and its credentials (JIRA_HELIX_EMAIL + JIRA_HELIX_API_TOKEN, or JIRA_HELIX_PAT; see .env.example)',
    );
    expect(result.status).toBe(0);
    expect(readFileSync(file('opsbot.example.yaml'), 'utf8').split('\n')[192]?.trim()).toBe(
      'site: JIRA_HELIX',
    );
  });

  it('does not warn once the site has settings, nor about the default site JIRA left unset', () => {
    const result = withEnv({ JIRA_HELIX_BASE_URL: 'https://jira.helix.example' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfigText } from '../../../src/config/load.js';
import { OutreachSchema } from '../../../src/config/outreach-schema.js';
import { DEFAULT_OUTREACH_SETTINGS } from '../../../src/domain/outreach/defaults.js';
import { MINIMAL_CONFIG_LINES } from '../../helpers/config-lines.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const tenant = [...MINIMAL_CONFIG_LINES].join('\n');
const withOutreach = (...lines: string[]) =>
  `${tenant}\n    outreach:\n${lines.map((l) => `      ${l}`).join('\n')}`;

function parse(text: string) {
  const result = parseConfigText(text, 'bad.yaml');
  return result.ok ? { ok: true as const, tenant: result.config.tenants[0]! } : result;
}

describe('tenants[].outreach', () => {
  it('is optional: absent means no outreach for the tenant', () => {
    const result = parse(tenant);
    expect(result.ok && result.tenant.outreach).toBeUndefined();
  });

  it('an empty block gets every default, which are the domain defaults', () => {
    const result = parse(withOutreach('enabled: true'));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.tenant.outreach).toEqual(DEFAULT_OUTREACH_SETTINGS);
    expect(OutreachSchema.parse({})).toEqual(DEFAULT_OUTREACH_SETTINGS);
  });

  it('the example config gives helix-ai quiet hours, its Slack team and a performance wording', () => {
    const result = loadConfigFile(`${root}config/opsbot.example.yaml`);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const outreach = result.config.tenants.find((t) => t.id === 'helix-ai')?.outreach;
    expect(outreach?.quietHours).toEqual({ start: '22:00', end: '07:00', days: ['sun'] });
    expect(outreach?.customerTeamIds).toEqual(['T05HELIXAI1']);
    expect(outreach?.templates.initial.performance?.impact).toContain('{cluster}');
  });

  it('rejects an unknown template placeholder at load, with its line and path', () => {
    const problems = parse(
      withOutreach(
        'templates:',
        '  initial:',
        '    network:',
        '      summary: "We see trouble on {clustr}."',
      ),
    );
    expect(problems.ok).toBe(false);
    if (problems.ok) return;
    expect(problems.problems).toHaveLength(1);
    expect(problems.problems[0]).toMatch(
      /^bad\.yaml:21: tenants\[0\]\.outreach\.templates\.initial\.network\.summary: unknown placeholder \{clustr\}; known: \{customer\}, \{cluster\}/,
    );
  });

  it('reports bad quiet hours, team ids and an expiry before the reminder, all at once', () => {
    const result = parse(
      withOutreach(
        'quietHours: { start: "7pm", end: "07:00" }',
        'customerTeamIds: [helix]',
        'draftReminderMinutes: 60',
        'draftExpiryMinutes: 30',
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(
      /outreach\.quietHours\.start: expected a local time like 22:00/,
    );
    expect(result.problems.join('\n')).toMatch(
      /outreach\.customerTeamIds\[0\]: expected a Slack team id like T0123ABCD/,
    );
    expect(result.problems.join('\n')).toMatch(
      /outreach\.draftReminderMinutes: expected draftReminderMinutes below/,
    );
  });

  it('rejects a typo in a detector field (strict objects)', () => {
    const result = parse(withOutreach('detectors:', '  recurring: { componentCuont: 3 }'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.join('\n')).toMatch(/outreach\.detectors\.recurring.*componentCuont/);
  });
});

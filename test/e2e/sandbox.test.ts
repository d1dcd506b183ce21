import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SandboxDriver } from '../../sandbox/driver.js';
import { FakeClock } from '../../sandbox/fake-clock.js';
import { runScenario } from '../../sandbox/run-scenario.js';
import { loadScenario, ScenarioSchema } from '../../sandbox/scenario.js';
import { Transcript } from '../../sandbox/transcript.js';

const scenarios = readdirSync('sandbox/scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => `sandbox/scenarios/${f}`);

describe.each(scenarios)('sandbox scenario %s', (path) => {
  it.each(['http', 'socket'] as const)('passes in %s mode and prints what the bot posted', async (mode) => {
    const loaded = loadScenario(path);
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    const clock = new FakeClock(loaded.scenario.start);
    const driver = await SandboxDriver.start({
      mode,
      clock,
      random: () => 0.5,
      integrations: loaded.scenario.integrations,
      configFile: loaded.scenario.config,
    });
    const lines: string[] = [];
    try {
      const transcript = new Transcript(
        driver.config,
        () => clock.now(),
        (line) => lines.push(line),
      );
      expect(await runScenario(driver, loaded.scenario, transcript)).toEqual([]);
    } finally {
      await driver.stop();
    }
    expect(lines.some((l) => l.includes('← bot in'))).toBe(true);
  });
});

describe('scenario validation', () => {
  it('names the bad step and field', () => {
    const result = loadScenario('test/fixtures/bad-scenario.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(/bad-scenario\.yaml: steps\[1\]/);
  });
});

describe('scenario checks that fail', () => {
  it('reports a slash command reply and a shared file that do not match', async () => {
    const scenario = ScenarioSchema.parse({
      name: 'failing checks',
      start: '2026-12-07T17:40:00Z',
      steps: [
        { command: { as: 'U0STAFF001', in: 'C0VEGAOPS1', slash: '/sla', text: '', reply: 'breached' } },
        { command: { as: 'U0STAFF001', in: 'C0VEGAOPS1', slash: '/sla', text: 'report vega 2026-12' } },
        { expect: { channel: 'C0VEGAOPS1', file: 'sla-vega-2026-12.csv', matching: 'credit,vega,.*,9999,' } },
        { expect: { channel: 'C0VEGAOPS1', file: 'sla-vega-2026-11.csv' } },
      ],
    });
    const clock = new FakeClock(scenario.start);
    const driver = await SandboxDriver.start({ mode: 'http', clock, random: () => 0.5 });
    const lines: string[] = [];
    try {
      const transcript = new Transcript(
        driver.config,
        () => clock.now(),
        (line) => lines.push(line),
      );
      expect(await runScenario(driver, scenario, transcript)).toEqual([
        '/sla : the reply does not match /breached/',
        'the file sla-vega-2026-12.csv does not match /credit,vega,.*,9999,/',
        'expected one file sla-vega-2026-11.csv shared in #vega-ops, found 0',
      ]);
    } finally {
      await driver.stop();
    }
    // The shared CSV shows in the transcript: its header and, last, the credit lines.
    expect(lines.join('\n')).toMatch(
      /⎘ bot shared file sla-vega-2026-12\.csv in #vega-ops: SLA report for Vega AI/,
    );
    expect(lines.join('\n')).toMatch(
      /│ section,tenant,month,severity[\s\S]*│ credit,vega,2026-12,,,credit,0,USD,/,
    );
  });
});

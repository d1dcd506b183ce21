import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SandboxDriver } from '../../sandbox/driver.js';
import { FakeClock } from '../../sandbox/fake-clock.js';
import { runScenario } from '../../sandbox/run-scenario.js';
import { loadScenario } from '../../sandbox/scenario.js';
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

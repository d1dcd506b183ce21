// npm run sandbox [-- --scenario FILE] [--mode http|socket]
// Runs the real bot against the Slack stand-in with SQLite in a temp dir, replays the scenarios
// (all of sandbox/scenarios/*.yaml unless one is named), prints a transcript of what the bot
// posted where, and exits 0 when every expectation held.
import { readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SandboxDriver } from './driver.js';
import { FakeClock } from './fake-clock.js';
import { runScenario } from './run-scenario.js';
import { loadScenario } from './scenario.js';
import { Transcript } from './transcript.js';

const SCENARIO_DIR = 'sandbox/scenarios';
// Foundation first: it shows the spine the other scenarios build on.
const ORDER = ['foundation.yaml'];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string' },
      mode: { type: 'string', default: 'http' },
    },
  });
  const mode = values.mode;
  if (mode !== 'http' && mode !== 'socket') {
    process.stderr.write(`--mode must be http or socket, found "${mode}"\n`);
    return 2;
  }
  const files = values.scenario ? [values.scenario] : allScenarios();
  let worst = 0;
  for (const file of files) worst = Math.max(worst, await runOne(file, mode));
  return worst;
}

function allScenarios(): string[] {
  const names = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml'));
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((n) => `${SCENARIO_DIR}/${n}`);
}

function rank(name: string): number {
  const i = ORDER.indexOf(name);
  return i === -1 ? ORDER.length : i;
}

async function runOne(file: string, mode: 'http' | 'socket'): Promise<number> {
  const loaded = loadScenario(file);
  if (!loaded.ok) {
    process.stderr.write(
      `scenario ${file} is invalid:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\n`,
    );
    return 2;
  }
  const { scenario } = loaded;
  const started = Date.now();
  const clock = new FakeClock(scenario.start);
  const driver = await SandboxDriver.start({
    mode,
    clock,
    random: () => 0.5,
    integrations: scenario.integrations,
    configFile: scenario.config,
  });
  const transcript = new Transcript(driver.config, () => clock.now());
  process.stdout.write(
    `\n═══ vaas-opsbot sandbox — "${scenario.name}" (Slack ${mode} mode, fake clock from ${scenario.start})\n` +
      `${scenario.description ? `${scenario.description.trim()}\n` : ''}` +
      `database: ${driver.databasePath}\n`,
  );
  let failures: string[];
  try {
    failures = await runScenario(driver, scenario, transcript);
  } finally {
    await driver.stop();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    process.stdout.write(
      `\n✗ scenario "${scenario.name}" failed (${seconds}s):\n${failures.map((f) => `  - ${f}`).join('\n')}\n`,
    );
    return 1;
  }
  process.stdout.write(`\n✓ scenario "${scenario.name}" passed in ${seconds}s\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `sandbox failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

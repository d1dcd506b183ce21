// Where an alarm's CPU goes: runs one door's hot path under the V8 CPU profiler (node:inspector,
// started after warm-up and stopped once the last alarm is triaged, so boot and the reference apps
// are not in it) and prints self time per alarm by function and by module, as Markdown.
//   npx tsx bench/profile.ts [--out bench/results/profile-before.md] [--cpuprofile dir] [N]
// Doors: Slack events (1 alarm each), Alertmanager webhooks with 1 alert and with 50-alert groups.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { SandboxDriver, SIGNING_SECRET, WEBHOOK_TOKENS } from '../sandbox/driver.js';
import { LoadClient, type LoadSpec } from './alarm-storm/load.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const outFile = flag('--out');
const rawDir = flag('--cpuprofile');
/** Only the doors whose name contains this (e.g. 'Slack', '50 alert'). */
const only = flag('--only');
const N = Number(args[0] ?? process.env.BENCH_ALARMS ?? 5000);
const CONCURRENCY = 32;
const TOP = 15;

/** `src/store/alarm-store.ts`, `better-sqlite3`, `node:internal/…`, or V8's own `(gc)`. */
function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const src = /\/((?:src|bench|sandbox)\/.+)$/.exec(url);
  if (src) return src[1] as string;
  return url.replace(/^file:\/\//, '');
}

/**
 * Self time per alarm. Native frames (no script URL: SQLite inside better-sqlite3, libuv writes,
 * crypto, JSON) are charged to the nearest JavaScript caller, named "native under <caller>", so the
 * table says which JS call paid for them. The profiler's own frames (node:inspector) are left out.
 */
function summarize(profile: CpuProfile, alarms: number, title: string): string {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n: ProfileNode) => {
    const mod = moduleOf(n.callFrame.url, n.callFrame.functionName);
    return { mod, fn: `${n.callFrame.functionName || '(anonymous)'} ${mod}` };
  };
  const byFunction = new Map<string, number>();
  const byModule = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    const name = node.callFrame.functionName;
    if (!us || name === '(idle)' || node.callFrame.url.startsWith('node:inspector')) continue;
    total += us;
    let { mod, fn } = label(node);
    if (!node.callFrame.url && !name.startsWith('(')) {
      let up = parent.get(node.id);
      while (up !== undefined && !byId.get(up)?.callFrame.url) up = parent.get(up);
      const caller = up === undefined ? undefined : byId.get(up);
      if (caller) {
        const c = label(caller);
        mod = `native under ${c.mod}`;
        fn = `${name || '(native)'} under ${c.fn}`;
      }
    }
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byModule.set(mod, (byModule.get(mod) ?? 0) + us);
  }
  const table = (rows: Map<string, number>) =>
    [...rows.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(
        ([name, us]) =>
          `| ${name.replace(/\|/g, '\\|')} | ${(us / alarms).toFixed(1)} | ${((100 * us) / total).toFixed(1)} |`,
      )
      .join('\n');
  return [
    `### ${title}`,
    '',
    `${alarms} alarms; busy CPU on the main thread ${(total / alarms).toFixed(0)} µs per alarm (idle excluded).`,
    '',
    '| module | self µs/alarm | % |',
    '| --- | --- | --- |',
    table(byModule),
    '',
    '| function | self µs/alarm | % |',
    '| --- | --- | --- |',
    table(byFunction),
    '',
  ].join('\n');
}

async function profiled(name: string, fn: () => Promise<void>): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  await fn();
  const { profile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
  session.disconnect();
  if (rawDir) {
    mkdirSync(rawDir, { recursive: true });
    writeFileSync(join(rawDir, `${name}.cpuprofile`), JSON.stringify(profile));
  }
  return profile;
}

async function door(
  client: LoadClient,
  name: string,
  spec: (driver: SandboxDriver) => Omit<LoadSpec, 'count' | 'firstIndex'>,
  alarmsPerRequest: number,
): Promise<string> {
  if (only && !name.includes(only)) return '';
  const driver = await SandboxDriver.start({ mode: 'http' });
  try {
    const base = spec(driver);
    const requests = Math.ceil(N / alarmsPerRequest);
    const warm = Math.ceil(200 / alarmsPerRequest);
    // Warm-up on indices the measured run does not reuse (distinct alarms, same code paths).
    await client.run({ ...base, count: warm, firstIndex: requests, runTag: `W${base.runTag}` });
    let ok = 0;
    const profile = await profiled(name, async () => {
      const result = await client.run({ ...base, count: requests, firstIndex: 0 });
      ok = result.ok;
      // Triage follows the acks (TriageQueue): an alarm's cost is its intake and its triage.
      await driver.settle();
    });
    if (ok !== requests) throw new Error(`${name}: ${ok} of ${requests} answered`);
    return summarize(profile, requests * alarmsPerRequest, `${name} (${CONCURRENCY} in flight)`);
  } finally {
    await driver.stop();
  }
}

const client = LoadClient.start();
const sections: string[] = [];
try {
  const runTag = Date.now().toString(36).toUpperCase();
  sections.push(
    await door(
      client,
      'Slack door: Events API bot_message alarms',
      (d) => ({
        url: `${d.baseUrl}/slack/events`,
        kind: 'slack-event',
        concurrency: CONCURRENCY,
        baseMs: d.clock.now(),
        runTag: `P${runTag}`,
        slackSigning: { secret: SIGNING_SECRET, timestampSec: Math.floor(d.clock.now() / 1000) },
        okStatuses: [200],
      }),
      1,
    ),
  );
  for (const group of [1, 50]) {
    sections.push(
      await door(
        client,
        `Webhook door: Alertmanager webhooks, ${group} alert(s) per request`,
        (d) => ({
          url: `${d.baseUrl}/webhooks/alertmanager/nimbus`,
          kind: 'am-webhook',
          concurrency: CONCURRENCY,
          baseMs: d.clock.now(),
          runTag: 'AM',
          bearerToken: WEBHOOK_TOKENS.nimbus,
          alertsPerRequest: group,
          okStatuses: [202],
        }),
        group,
      ),
    );
  }
} finally {
  await client.stop();
}
const report = `${sections.filter(Boolean).join('\n')}\nMeasured ${new Date().toISOString()}, Node ${process.version}, load average ${(
  await import('node:os')
)
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ')}.\n`;
process.stdout.write(report);
if (outFile) writeFileSync(outFile, report);

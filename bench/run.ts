// npm run bench [-- name ...]: runs the benchmarks, prints a table each, writes bench/results/*.json.
import { alarmStorm } from './alarm-storm.js';
import { handoffLateness } from './handoff-lateness.js';
import { jobScheduler } from './job-scheduler.js';
import { type Benchmark, printTable, type Row, summaryRows, writeResults } from './lib.js';
import { longRun } from './long-run.js';
import { slaClocks } from './sla-clocks.js';

const ALL: Benchmark[] = [jobScheduler, alarmStorm, handoffLateness, longRun, slaClocks];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const selected = wanted.length ? ALL.filter((b) => wanted.includes(b.name)) : ALL;
if (selected.length === 0) {
  process.stderr.write(
    `unknown benchmark(s): ${wanted.join(', ')}; known: ${ALL.map((b) => b.name).join(', ')}\n`,
  );
  process.exit(2);
}
const summary: Row[] = [];
for (const bench of selected) {
  const rows = await bench.run();
  printTable(`${bench.name} — ${bench.description}`, rows);
  process.stdout.write(`written to ${writeResults(bench.name, bench.description, rows)}\n`);
  summary.push(...summaryRows(bench, rows));
}
// One table of every figure that has a target, each measured side by side within its own run.
const title = `summary — ${selected.map((b) => b.name).join(', ')}`;
printTable(title, summary);
process.stdout.write(`written to ${writeResults('summary', title, summary)}\n`);

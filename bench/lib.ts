// Tiny benchmark kit: each benchmark returns rows of named figures; run.ts prints a table and
// writes bench/results/<name>.json with the machine it ran on. Figures are measured, never asserted.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export type Row = Record<string, string | number>;

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<Row[]>;
  /** The figures with a target, for the one summary table (default: rows that have a target). */
  summary?(rows: Row[]): Row[];
}

/** Summary rows: benchmark, what, value, unit, target, result. */
export function summaryRows(bench: Benchmark, rows: Row[]): Row[] {
  const picked = bench.summary
    ? bench.summary(rows)
    : rows.filter((r) => r.target !== undefined && r.target !== '');
  return picked.map((r) => ({
    benchmark: bench.name,
    measurement: `${r.section ? `${r.section}: ` : ''}${r.measurement}`,
    value: r.value ?? '',
    unit: r.unit ?? '',
    target: r.target ?? '',
    result: r.result ?? '',
  }));
}

export function printTable(title: string, rows: Row[]): void {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) =>
    typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v ?? '');
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  process.stdout.write(`\n${title}\n${line(columns)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const r of rows) process.stdout.write(`${line(columns.map((c) => cell(r[c])))}\n`);
}

export function writeResults(name: string, description: string, rows: Row[]): string {
  mkdirSync('bench/results', { recursive: true });
  const path = `bench/results/${name}.json`;
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  writeFileSync(
    path,
    `${JSON.stringify({ name, description, measuredAt: new Date().toISOString(), machine, rows }, null, 2)}\n`,
  );
  return path;
}

/** Samples RSS every 10 ms while `fn` runs and returns the peak in MB. */
export async function peakRssDuring<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

/** A positive integer from the environment (a bench's size or step), or the default. */
export function readPositiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return value;
}

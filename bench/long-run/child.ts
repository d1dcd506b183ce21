// The bot of the long-run bench, in its own process (forked by bench/long-run.ts), so its RSS is
// the bot's alone: the Slack stand-in, which keeps every message the bot posted for a month (as
// Slack does), lives in the parent. This process also runs the load client, which holds nothing
// across requests. It sends the parent its fake time (the stand-in stamps messages with it) and,
// at the end, what it measured.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { WEBHOOK_TOKENS } from '../../sandbox/driver.js';
import { percentile } from '../alarm-storm/load.js';
import { alertmanagerWebhookBody } from '../alarm-storm/payloads.js';
import { type BotSpec, sendToParent, settled, startChildBot } from '../bot-process.js';
import { type BytesByKind, bytesByKind, DAY_MS, DAYS, databaseBytes, GROUP, request } from './mix.js';

export interface LongRunSpec extends BotSpec {
  total: number;
  startMs: number;
  inFlight: number;
  /** The day whose database breakdown is the steady state the end is compared with. */
  steadyFrom: number;
}

/** One reading of this process's memory, after a memory-reducing full GC. */
export interface MemoryReading {
  rss: number;
  /** Anonymous (heap) memory and file-backed pages (the node binary, shared libraries). */
  anonymous: number;
  file: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export interface LongRunResult {
  stored: number;
  ingestSeconds: number;
  settleMs: number;
  after10k: MemoryReading;
  end: MemoryReading;
  sizeByDay: number[];
  atSteady: BytesByKind | undefined;
  rawKept: number;
  p99Quiet: number;
  p99Pruning: number;
  quietRequests: number;
  pruningRequests: number;
}

export type LongRunMessage = { type: 'time'; at: number } | { type: 'result'; result: LongRunResult };

// The readings are taken after the GC V8 runs under memory pressure (it also gives back the heap
// pages a regular full GC keeps committed for reuse), so they show what the bot retains, not how
// much slack the collector happened to keep.
setFlagsFromString('--expose-gc');
const fullGc = runInNewContext(
  "() => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })",
) as () => void;

function readMemory(): MemoryReading {
  fullGc();
  const rollup = readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
  const m = process.memoryUsage();
  const anonymous = kb('Anonymous');
  return {
    rss: m.rss,
    anonymous,
    file: Math.max(0, kb('Rss') - anonymous),
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
  };
}

const send = (message: LongRunMessage) => sendToParent(message);

async function main(): Promise<void> {
  const { spec, clock, bot } = await startChildBot<LongRunSpec>('BENCH_LONG_CHILD', (s) => s.startMs);
  const baseUrl = `http://127.0.0.1:${bot.inspect().port}`;
  const requests = Math.ceil(spec.total / GROUP);
  const stepMs = (DAYS * DAY_MS) / requests;
  const sizeByDay: number[] = [];
  const latency = { pruning: [] as number[], quiet: [] as number[] };
  const flapEpisode = new Map<number, number>();
  let atSteady: BytesByKind | undefined;
  let after10k: MemoryReading | undefined;
  let stored = 0;
  // A second, read-only connection to see whether the retention job is running right now.
  const peek = new Database(spec.dbPath, { readonly: true });
  const pruneRunning = peek.prepare(
    "SELECT 1 FROM jobs WHERE kind = 'platform.retention' AND status = 'running' LIMIT 1",
  );
  const t0 = performance.now();
  try {
    for (let s = 0; s < requests; s += spec.inFlight) {
      const atMs = spec.startMs + s * stepMs;
      clock.setTime(Math.max(clock.now(), Math.floor(atMs)));
      await send({ type: 'time', at: clock.now() });
      const wave = Array.from({ length: Math.min(spec.inFlight, requests - s) }, (_, i) =>
        request(s + i, Math.floor(atMs + i), flapEpisode),
      );
      const pruningBefore = pruneRunning.get() !== undefined;
      const timings = await Promise.all(
        wave.map(async ({ tenant, alerts }) => {
          const body = alertmanagerWebhookBody(alerts);
          const began = performance.now();
          const response = await fetch(`${baseUrl}/webhooks/alertmanager/${tenant}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${WEBHOOK_TOKENS[tenant]}`,
            },
            body,
          });
          await response.text();
          if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
          return performance.now() - began;
        }),
      );
      const pruning = pruningBefore || pruneRunning.get() !== undefined;
      (pruning ? latency.pruning : latency.quiet).push(...timings);
      stored += wave.length * GROUP;
      if (after10k === undefined && stored >= 10_000) after10k = readMemory();
      const day = Math.floor((clock.now() - spec.startMs) / DAY_MS);
      if (sizeByDay.length <= day) {
        sizeByDay.push(databaseBytes(spec.dbPath));
        if (day === spec.steadyFrom) atSteady = bytesByKind(peek);
      }
    }
  } finally {
    peek.close();
  }
  const ingestSeconds = (performance.now() - t0) / 1000;
  const end = readMemory();
  // The end of the 30 days: whatever cards, auto-resolves and prunes are due run to completion.
  const settleT0 = performance.now();
  clock.setTime(spec.startMs + DAYS * DAY_MS);
  await send({ type: 'time', at: clock.now() });
  await settled(bot);
  const settleMs = performance.now() - settleT0;
  const rawKept = bot.inspect().alarms.rawCount();
  await bot.stop();
  await send({
    type: 'result',
    result: {
      stored,
      ingestSeconds,
      settleMs,
      after10k: after10k ?? end,
      end,
      sizeByDay,
      atSteady,
      rawKept,
      p99Quiet: percentile(latency.quiet, 99),
      p99Pruning: latency.pruning.length ? percentile(latency.pruning, 99) : Number.NaN,
      quietRequests: latency.quiet.length,
      pruningRequests: latency.pruning.length,
    },
  });
  process.disconnect?.();
}

main().catch((error: unknown) => {
  process.stderr.write(`long-run child: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

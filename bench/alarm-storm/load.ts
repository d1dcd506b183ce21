// Parent side of the load generator: forks load-client.ts once and asks it to run loads.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadSpec {
  url: string;
  kind: 'slack-event' | 'am-webhook' | 'am-api';
  /** Number of requests, with payload indices firstIndex … firstIndex + count - 1. */
  count: number;
  firstIndex: number;
  concurrency: number;
  /** Epoch ms the payloads are stamped with (message ts, startsAt). */
  baseMs: number;
  /** Makes Slack event ids unique per run. */
  runTag: string;
  warmup?: boolean;
  /** Alertmanager alerts per request (webhook groups, API batches); default 1. */
  alertsPerRequest?: number;
  /** Alertmanager alerts' cluster label (default: the storm's). */
  cluster?: string;
  slackSigning?: { secret: string; timestampSec: number | 'now' };
  bearerToken?: string;
  okStatuses: readonly number[];
}

export interface LoadResult {
  requests: number;
  /** Responses with one of spec.okStatuses. */
  ok: number;
  /** Requests that got no HTTP response at all (connection error, timeout). */
  errors: number;
  statuses: Record<string, number>;
  firstError: string | undefined;
  elapsedMs: number;
  /** CPU time the load client itself spent (signing, fetch, parsing responses). */
  clientCpuMs: number;
  latenciesMs: number[];
}

export interface LoadRequest {
  id: number;
  spec: LoadSpec;
}

type LoadReply = { id: number; result: LoadResult } | { id: number; error: string };

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

export class LoadClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: LoadResult) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: LoadReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      clearTimeout(waiter.timer);
      if ('error' in reply) waiter.reject(new Error(`load client failed: ${reply.error}`));
      else waiter.resolve(reply.result);
    });
    child.on('exit', (code, signal) =>
      this.failAll(new Error(`load client exited (code ${code}, signal ${signal})`)),
    );
    // E.g. a send on a closed channel: fail the waiting loads instead of crashing this process.
    child.on('error', (error) => this.failAll(error));
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
    this.pending.clear();
  }

  /** Forks the client with this process's loader flags (tsx), minus any profiling flags. */
  static start(): LoadClient {
    return new LoadClient(
      fork(CLIENT, [], {
        execArgv: withoutProfiling(process.execArgv),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  }

  /** Runs one load; rejects if it has not finished within `timeoutMs`. */
  run(spec: LoadSpec, timeoutMs = 120_000): Promise<LoadResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`load against ${spec.url} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      if (!this.child.connected) {
        this.failAll(new Error('load client is not running'));
        return;
      }
      this.child.send({ id, spec } satisfies LoadRequest, (error) => {
        if (error) this.failAll(error);
      });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

/** Drops --cpu-prof/--heap-prof/--prof flags (and a value given as the next argument). */
function withoutProfiling(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const flag = /^--(cpu-prof|heap-prof|prof)(-[a-z]+)?(=|$)/.exec(arg);
    if (!flag) {
      out.push(arg);
      continue;
    }
    // --cpu-prof-dir DIR, --cpu-prof-interval N, --heap-prof-name NAME…: skip the separate value too.
    if (flag[2] && flag[3] === '') i++;
  }
  return out;
}

/** Nearest-rank percentile of latencies in ms. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

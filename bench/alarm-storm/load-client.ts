// The load generator, run in its own process (forked by load.ts) so that on a 2-core machine the
// client's HTTP work and the server under test do not share one event loop, and the server
// process's RSS is the server's alone. It builds every body up front, then POSTs them over
// keep-alive loopback connections (global fetch + an undici Agent) at a fixed number in flight,
// signing each Slack request at send time exactly as Slack does.
import { Agent } from 'undici';
import { signSlackRequest } from '../../sandbox/slack-wire.js';
import type { LoadRequest, LoadResult, LoadSpec } from './load.js';
import {
  alertmanagerApiBody,
  alertmanagerWebhookBody,
  type StormAlert,
  slackEventBody,
  stormAlert,
} from './payloads.js';

const REQUEST_TIMEOUT_MS = 10_000;

function buildBodies(spec: LoadSpec): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < spec.count; i++) {
    const index = spec.firstIndex + i;
    switch (spec.kind) {
      case 'slack-event':
        bodies.push(
          slackEventBody(index, { runTag: spec.runTag, baseMs: spec.baseMs, warmup: spec.warmup ?? false }),
        );
        break;
      case 'am-webhook':
        bodies.push(alertmanagerWebhookBody(alertsOf(spec, index)));
        break;
      case 'am-api':
        bodies.push(alertmanagerApiBody(alertsOf(spec, index)));
        break;
    }
  }
  return bodies;
}

/** The alerts of request `index`: `alertsPerRequest` consecutive distinct alerts. */
function alertsOf(spec: LoadSpec, index: number): StormAlert[] {
  const size = spec.alertsPerRequest ?? 1;
  return Array.from({ length: size }, (_, j) =>
    stormAlert(index * size + j, { startsAtMs: spec.baseMs, cluster: spec.cluster }),
  );
}

function headersFor(spec: LoadSpec, body: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (spec.slackSigning) {
    const { secret, timestampSec } = spec.slackSigning;
    // 'now' = real wall-clock seconds (a real Bolt app); a number = the bot's fake clock.
    const ts = timestampSec === 'now' ? Math.floor(Date.now() / 1000) : timestampSec;
    Object.assign(headers, signSlackRequest(secret, body, ts));
  }
  if (spec.bearerToken) headers.authorization = `Bearer ${spec.bearerToken}`;
  return headers;
}

async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const bodies = buildBodies(spec);
  const agent = new Agent({
    connections: spec.concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 60_000,
  });
  const latencies = new Float64Array(bodies.length);
  const statuses: Record<string, number> = {};
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= bodies.length) return;
      const body = bodies[i] as string;
      const t0 = performance.now();
      try {
        const response = await fetch(spec.url, {
          method: 'POST',
          headers: headersFor(spec, body),
          body,
          dispatcher: agent,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        } as RequestInit);
        const text = await response.text();
        latencies[i] = performance.now() - t0;
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (!spec.okStatuses.includes(response.status) && firstError === undefined)
          firstError = `HTTP ${response.status}: ${text.slice(0, 200)}`;
      } catch (error) {
        latencies[i] = performance.now() - t0;
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  };
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, bodies.length) }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  await agent.close();
  const ok = Object.entries(statuses)
    .filter(([status]) => spec.okStatuses.includes(Number(status)))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    requests: bodies.length,
    ok,
    errors,
    statuses,
    firstError,
    elapsedMs,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    latenciesMs: [...latencies],
  };
}

process.on('message', (message: LoadRequest) => {
  runLoad(message.spec).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: Error) => process.send?.({ id: message.id, error: error.stack ?? error.message }),
  );
});
// The parent owns this process: when it goes away (or closes the channel), so do we.
process.on('disconnect', () => process.exit(0));

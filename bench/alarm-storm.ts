// An alarm storm through the bot's two front doors, each against a reference that does the least
// possible work for the same wire traffic:
//  1. Slack door: N signed Events API `message` events (bot_message alarms of one storm on one
//     cluster) POSTed to the real bot's /slack/events vs a no-op Bolt app (Bolt's own HTTPReceiver,
//     one empty `message` listener). Then the card jobs run (fake clock +10m) and we count the
//     Slack Web API writes the storm cost, and the bot process's peak RSS.
//  2. Webhook door: N Alertmanager v4 webhooks, one alert each, to /webhooks/alertmanager/nimbus
//     vs a real Alertmanager's POST /api/v2/alerts (when the Debian package is installed).
// Load comes from a separate process (bench/alarm-storm/load-client.ts) at a fixed number of
// requests in flight, over keep-alive loopback connections. Before each timed run, WARMUP requests
// that store no alarm on the measured tenant warm the JIT; they are not counted.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { SandboxDriver, SIGNING_SECRET, WEBHOOK_TOKENS } from '../sandbox/driver.js';
import {
  AlertmanagerProcess,
  alertmanagerInstalled,
  alertmanagerVersion,
} from './alarm-storm/alertmanager.js';
import { FloorServer } from './alarm-storm/floor.js';
import { LoadClient, type LoadResult, type LoadSpec, percentile } from './alarm-storm/load.js';
import { type Benchmark, peakRssDuring, type Row, readPositiveInt } from './lib.js';

const N = readPositiveInt('BENCH_ALARMS', 5000);
const CONCURRENCY = readPositiveInt('BENCH_CONCURRENCY', 32);
const WARMUP = Math.min(200, N);

const TARGET = {
  slackRatio: 0.8,
  webApiPer1000: 5,
  peakRssMb: 250,
  webhookRatio: 1.0,
};

const WRITE_METHODS = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);

/** One timed load plus what it cost the server: CPU time and (in-process servers) event-loop use. */
interface Measured {
  load: LoadResult;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCpuUsPerRequest: number;
  /** Share of the time this process's event loop was busy; undefined for a server in another process. */
  eventLoopUtilization: number | undefined;
}

/**
 * Runs one load. The server runs in this process unless `serverCpuMicros` reads another process's
 * CPU time (the load client's own CPU is never counted: it is a separate process).
 */
async function measure(
  client: LoadClient,
  spec: LoadSpec,
  serverCpuMicros?: () => number,
): Promise<Measured> {
  const ownCpu = () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  };
  const cpuNow = serverCpuMicros ?? ownCpu;
  const cpu0 = cpuNow();
  const elu0 = performance.eventLoopUtilization();
  const load = await client.run(spec);
  const cpuUs = cpuNow() - cpu0;
  const elu = performance.eventLoopUtilization(elu0);
  if (load.ok !== load.requests) {
    throw new Error(
      `${spec.url}: ${load.ok} of ${load.requests} requests answered ${spec.okStatuses.join('/')} ` +
        `(statuses ${JSON.stringify(load.statuses)}, ${load.errors} errors; first: ${load.firstError})`,
    );
  }
  return {
    load,
    perSecond: load.requests / (load.elapsedMs / 1000),
    p50Ms: percentile(load.latenciesMs, 50),
    p99Ms: percentile(load.latenciesMs, 99),
    maxMs: Math.max(...load.latenciesMs),
    serverCpuUsPerRequest: cpuUs / load.requests,
    eventLoopUtilization: serverCpuMicros ? undefined : elu.utilization,
  };
}

const round = (value: number, digits = 0) => Number(value.toFixed(digits));
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

function row(
  section: string,
  measurement: string,
  value: number | string,
  unit: string,
  target = '',
  result = '',
) {
  return { section, measurement, value, unit, target, result } satisfies Row;
}

/** Rows every timed run reports. */
function loadRows(section: string, who: string, m: Measured, unit: string): Row[] {
  return [
    row(section, `${who}: throughput`, round(m.perSecond), `${unit}/s`),
    row(section, `${who}: ack latency p50`, round(m.p50Ms, 2), 'ms'),
    row(section, `${who}: ack latency p99`, round(m.p99Ms, 2), 'ms'),
    row(section, `${who}: ack latency max`, round(m.maxMs, 2), 'ms'),
    row(section, `${who}: server CPU per request (all threads)`, round(m.serverCpuUsPerRequest), 'µs'),
    row(
      section,
      `${who}: load-client CPU per request`,
      round((m.load.clientCpuMs * 1000) / m.load.requests),
      'µs',
    ),
    ...(m.eventLoopUtilization === undefined
      ? []
      : [row(section, `${who}: server event-loop utilisation`, round(m.eventLoopUtilization * 100), '%')]),
  ];
}

// ---------------------------------------------------------------- 1. Slack door

async function slackDoor(client: LoadClient): Promise<Row[]> {
  const section = `1 Slack door (N=${N}, ${CONCURRENCY} in flight)`;
  const runTag = `${Date.now().toString(36).toUpperCase()}`;

  // The reference first, while this process's heap is still small: after the bot's run the heap
  // it grew makes GC pauses longer, which would hand the bot a slower reference to compare with.
  const bolt = await noopBolt(client, runTag);

  const { result: bot, peakRssMb } = await peakRssDuring(async () => {
    const driver = await SandboxDriver.start({ mode: 'http' });
    try {
      const url = `${driver.baseUrl}/slack/events`;
      const baseMs = driver.clock.now();
      // The bot checks signatures against its (fake) clock, so we sign with that clock's seconds.
      const slackSigning = { secret: SIGNING_SECRET, timestampSec: Math.floor(baseMs / 1000) };
      const common = { url, kind: 'slack-event', concurrency: CONCURRENCY, baseMs, slackSigning } as const;
      await measure(client, {
        ...common,
        count: WARMUP,
        firstIndex: 0,
        runTag: `W${runTag}`,
        warmup: true,
        okStatuses: [200],
      });
      const rawBefore = driver.inspect.alarms.rawCount();
      const m = await measure(client, { ...common, count: N, firstIndex: 0, runTag, okStatuses: [200] });
      const stored = driver.inspect.alarms.rawCount() - rawBefore;
      const writesBefore = driver.slack.calls.filter((c) => WRITE_METHODS.has(c.method)).length;
      const t0 = performance.now();
      await driver.advance('10m');
      const settleMs = performance.now() - t0;
      const writes = driver.slack.calls.filter((c) => WRITE_METHODS.has(c.method));
      const byMethod = [...WRITE_METHODS]
        .map((method) => `${method.replace('chat.', '')} ${writes.filter((c) => c.method === method).length}`)
        .join(', ');
      const incidents = driver.inspect.incidents.listOpen('nimbus').length;
      return { m, stored, writes: writes.length, writesBefore, byMethod, settleMs, incidents };
    } finally {
      await driver.stop();
    }
  });

  const ratio = bot.m.perSecond / bolt.m.perSecond;
  const webApiPer1000 = (bot.writes / N) * 1000;
  return [
    ...loadRows(section, 'opsbot', bot.m, 'events'),
    ...loadRows(section, 'no-op Bolt app', bolt.m, 'events'),
    row(section, 'no-op Bolt app: events its listener saw', bolt.received, 'events'),
    row(
      section,
      'throughput ratio opsbot / no-op Bolt',
      round(ratio, 2),
      'x',
      `≥ ${TARGET.slackRatio}`,
      verdict(ratio >= TARGET.slackRatio),
    ),
    row(
      section,
      'opsbot ack latency p99 (target: the no-op Bolt p99 of this run)',
      round(bot.m.p99Ms, 2),
      'ms',
      `≤ ${round(bolt.m.p99Ms, 2)}`,
      verdict(bot.m.p99Ms <= bolt.m.p99Ms),
    ),
    row(
      section,
      'every alarm durably stored (raw_alarms rows as the last ack came)',
      bot.stored,
      'rows',
      `= ${N}`,
      verdict(bot.stored === N),
    ),
    row(section, 'open incidents after the storm', bot.incidents, 'incidents'),
    row(section, 'Slack writes during the load (before card jobs)', bot.writesBefore, 'calls'),
    row(section, `Slack writes after +10m (${bot.byMethod})`, bot.writes, 'calls'),
    row(section, 'card jobs run time (advance 10m + settle)', round(bot.settleMs), 'ms'),
    row(
      section,
      'Slack Web API writes per 1,000 alarms',
      round(webApiPer1000, 2),
      'calls',
      `≤ ${TARGET.webApiPer1000}`,
      verdict(webApiPer1000 <= TARGET.webApiPer1000),
    ),
    row(
      section,
      'opsbot process peak RSS (boot → load → card jobs)',
      peakRssMb,
      'MB',
      `≤ ${TARGET.peakRssMb}`,
      verdict(peakRssMb <= TARGET.peakRssMb),
    ),
  ];
}

/** The same load against a Bolt app that does nothing: Bolt's HTTPReceiver, one empty listener. */
async function noopBolt(client: LoadClient, runTag: string): Promise<{ m: Measured; received: number }> {
  const receiver = new HTTPReceiver({
    signingSecret: SIGNING_SECRET,
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
  });
  // Bolt refuses `token` together with `authorize`; a fixed authorize means no auth.test call.
  const app = new App({
    receiver,
    authorize: async () => ({
      botToken: 'xoxb-noop-bench-token',
      botId: 'B0NOOPBOT1',
      botUserId: 'U0NOOPBOT1',
    }),
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
  });
  let received = 0;
  app.event('message', async () => {
    received++;
  });
  const server = await receiver.start({ port: 0, host: '127.0.0.1' });
  try {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const baseMs = Date.now();
    // A real Bolt app checks signatures against the wall clock.
    const common = {
      url: `http://127.0.0.1:${port}/slack/events`,
      kind: 'slack-event',
      concurrency: CONCURRENCY,
      baseMs,
      slackSigning: { secret: SIGNING_SECRET, timestampSec: 'now' },
      okStatuses: [200],
    } as const;
    await measure(client, { ...common, count: WARMUP, firstIndex: 0, runTag: `WB${runTag}`, warmup: true });
    received = 0;
    const m = await measure(client, { ...common, count: N, firstIndex: 0, runTag: `B${runTag}` });
    return { m, received };
  } finally {
    await receiver.stop();
  }
}

// ---------------------------------------------------------------- 2. Webhook door

/** Alertmanager group sizes measured: one alert per request, and a 50-alert group notification. */
const GROUPS = [1, 50];

/** Rows per alert (not per request): with 50-alert groups a request carries 50 alarms. */
function perAlert(m: Measured, group: number): { alertsPerSecond: number; cpuUsPerAlert: number } {
  return { alertsPerSecond: m.perSecond * group, cpuUsPerAlert: m.serverCpuUsPerRequest / group };
}

function alertRows(section: string, who: string, m: Measured, group: number): Row[] {
  const a = perAlert(m, group);
  return [
    row(section, `${who}: throughput`, round(a.alertsPerSecond), 'alerts/s'),
    row(section, `${who}: ack latency p99 (per request)`, round(m.p99Ms, 2), 'ms'),
    row(section, `${who}: server CPU per alert (all threads)`, round(a.cpuUsPerAlert), 'µs'),
  ];
}

async function webhookDoor(client: LoadClient, group: number): Promise<Row[]> {
  const requests = Math.max(1, Math.ceil(N / group));
  const alerts = requests * group;
  const section = `2 webhook door (${alerts} alerts, ${group} alert(s)/request, ${CONCURRENCY} in flight)`;
  const warmup = Math.max(1, Math.ceil(WARMUP / group));
  const am = alertmanagerInstalled() ? await AlertmanagerProcess.start() : undefined;
  const floor = await FloorServer.start();
  try {
    // Alertmanager lives on the wall clock: alerts starting now, ending in an hour. Its warm-up
    // and the floor's go first, while this process's heap is small (see slackDoor).
    let amM: Measured | undefined;
    let held = 0;
    if (am) {
      const common = {
        url: `${am.baseUrl}/api/v2/alerts`,
        kind: 'am-api',
        concurrency: CONCURRENCY,
        baseMs: Date.now(),
        runTag: 'AMAPI',
        alertsPerRequest: group,
        okStatuses: [200],
      } as const;
      const amCpu = () => am.cpuMicros();
      await measure(client, { ...common, count: warmup, firstIndex: requests, cluster: 'lon-obj-01' }, amCpu);
      amM = await measure(client, { ...common, count: requests, firstIndex: 0 }, amCpu);
      held = await am.alertCount();
    }
    const floorCommon = {
      url: `${floor.baseUrl}/webhooks/alertmanager/nimbus`,
      kind: 'am-webhook',
      concurrency: CONCURRENCY,
      baseMs: Date.now(),
      runTag: 'FLOOR',
      alertsPerRequest: group,
      okStatuses: [202],
    } as const;
    await measure(client, { ...floorCommon, count: warmup, firstIndex: requests });
    const floorRowsBefore = floor.rows();
    const floorM = await measure(client, { ...floorCommon, count: requests, firstIndex: 0 });
    const floorRows = floor.rows() - floorRowsBefore;

    const { result: bot, peakRssMb } = await peakRssDuring(async () => {
      const driver = await SandboxDriver.start({ mode: 'http' });
      try {
        const common = {
          kind: 'am-webhook',
          concurrency: CONCURRENCY,
          baseMs: driver.clock.now(),
          runTag: 'AM',
          alertsPerRequest: group,
          okStatuses: [202],
        } as const;
        // Warm-up on the other tenant (its own cluster): stores alarms, but not on the measured tenant.
        await measure(client, {
          ...common,
          url: `${driver.baseUrl}/webhooks/alertmanager/helix-ai`,
          bearerToken: WEBHOOK_TOKENS['helix-ai'],
          count: warmup,
          firstIndex: 0,
          cluster: 'lon-obj-01',
        });
        // The warm-up's alarms are triaged before the timed run, not during it.
        await driver.settle();
        const rawBefore = driver.inspect.alarms.rawCount();
        const m = await measure(client, {
          ...common,
          url: `${driver.baseUrl}/webhooks/alertmanager/nimbus`,
          bearerToken: WEBHOOK_TOKENS.nimbus,
          count: requests,
          firstIndex: 0,
        });
        const rawAfter = driver.inspect.alarms.rawCount();
        // Triage follows the 202s (TriageQueue): how long until every alert is in its incident.
        const t0 = performance.now();
        await driver.settle();
        const triageMs = performance.now() - t0;
        const triaged = driver.inspect.incidents
          .listOpen('nimbus')
          .reduce(
            (n, i) => n + driver.inspect.incidents.timeline(i.id).filter((e) => e.kind === 'alarm').length,
            0,
          );
        return { m, rawBefore, rawAfter, triageMs, triaged };
      } finally {
        await driver.stop();
      }
    });

    const grew = bot.rawAfter - bot.rawBefore;
    const botRate = perAlert(bot.m, group).alertsPerSecond;
    const floorRate = perAlert(floorM, group).alertsPerSecond;
    const rows: Row[] = [
      ...alertRows(section, 'opsbot', bot.m, group),
      row(
        section,
        `raw_alarms growth, counted as the last 202 came (${bot.rawBefore} → ${bot.rawAfter})`,
        grew,
        'rows',
        `= ${alerts}`,
        verdict(grew === alerts),
      ),
      row(
        section,
        'opsbot: alerts triaged into incidents (timeline alarm entries)',
        bot.triaged,
        'alerts',
        `= ${alerts}`,
        verdict(bot.triaged === alerts),
      ),
      row(section, 'opsbot: triage done, after the last 202', round(bot.triageMs), 'ms'),
      row(section, 'opsbot process peak RSS (boot → load)', peakRssMb, 'MB'),
      ...alertRows(section, 'floor (node:http + 1 SQLite insert/request, same durability)', floorM, group),
      row(
        section,
        'floor: rows stored as the last 202 came',
        floorRows,
        'rows',
        `= ${requests}`,
        verdict(floorRows === requests),
      ),
      row(section, 'ratio opsbot / floor', round(botRate / floorRate, 2), 'x'),
    ];
    if (!amM) {
      rows.push(
        row(
          section,
          'Alertmanager reference',
          'not installed (apt-get install prometheus-alertmanager)',
          '',
          `ratio ≥ ${TARGET.webhookRatio}`,
          'n/a',
        ),
      );
      return rows;
    }
    const amRate = perAlert(amM, group).alertsPerSecond;
    const ratio = botRate / amRate;
    rows.push(
      ...alertRows(section, `Alertmanager ${alertmanagerVersion()} (POST /api/v2/alerts)`, amM, group),
      row(section, 'Alertmanager: alerts it holds afterwards (incl. warm-up)', held, 'alerts'),
      row(section, 'ratio Alertmanager / floor', round(amRate / floorRate, 2), 'x'),
      row(
        section,
        'throughput ratio opsbot / Alertmanager',
        round(ratio, 2),
        'x',
        `≥ ${TARGET.webhookRatio}`,
        verdict(ratio >= TARGET.webhookRatio),
      ),
    );
    return rows;
  } finally {
    await floor.stop();
    await am?.stop();
  }
}

export const alarmStorm: Benchmark = {
  name: 'alarm-storm',
  description:
    `Alarm storm: ${N} alarms at ${CONCURRENCY} in flight over loopback HTTP into the real bot's Slack ` +
    'and Alertmanager webhook doors, vs a no-op Bolt app and a real Alertmanager; load from a separate process.',
  async run() {
    const client = LoadClient.start();
    try {
      const rows = await slackDoor(client);
      for (const group of GROUPS) rows.push(...(await webhookDoor(client, group)));
      return rows;
    } finally {
      await client.stop();
    }
  },
};

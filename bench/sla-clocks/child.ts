// The bot of the SLA bench's kill -9 run, in its own process (forked by bench/sla-clocks.ts) so it
// can be SIGKILLed for real. It opens `n` Sev1 incidents through its Slack door, spread over
// `spreadMs` of fake time, runs until just before the first reminder is due and says 'ready'; on
// 'go' it keeps stepping through the reminders' due time, telling the parent each step it starts,
// until the parent kills it in the middle of one. Slack (the stand-in) lives in the parent.

import { type BotSpec, sendToParent, settled, startChildBot } from '../bot-process.js';
import { dnodeDown, MINUTE, REMINDER_MINUTES, SlackDoor } from './bot.js';

export interface ChildSpec extends BotSpec {
  n: number;
  t0: number;
  spreadMs: number;
  stepMs: number;
}

export type ChildMessage =
  | { type: 'time'; at: number }
  | { type: 'ready'; at: number; opened: number; setupMs: number }
  | { type: 'step'; at: number };

const IN_FLIGHT = 16;

const send = (message: ChildMessage) => sendToParent(message);

async function main(): Promise<void> {
  const { spec, clock, bot } = await startChildBot<ChildSpec>('BENCH_SLA_CHILD', (s) => s.t0);
  const door = new SlackDoor(`http://127.0.0.1:${bot.inspect().port}`, clock);
  const openAt = (i: number) =>
    spec.t0 + Math.floor((i * spec.spreadMs) / spec.n / spec.stepMs) * spec.stepMs;
  const firstDue = spec.t0 + (REMINDER_MINUTES[0] as number) * MINUTE;
  const t0 = performance.now();
  let next = 0;
  let at = spec.t0;
  for (; at < firstDue; at += spec.stepMs) {
    clock.setTime(at);
    await send({ type: 'time', at });
    const batch: number[] = [];
    for (; next < spec.n && openAt(next) <= at; next++) batch.push(next);
    // A burst arrives as Slack delivers it: several requests in flight.
    for (let i = 0; i < batch.length; i += IN_FLIGHT)
      await Promise.all(batch.slice(i, i + IN_FLIGHT).map((k) => door.alarm(dnodeDown(k + 1))));
    await settled(bot);
  }
  await send({ type: 'ready', at: clock.now(), opened: next, setupMs: performance.now() - t0 });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  // Each step is announced as it starts: the parent kills this process while it is sending.
  for (; ; at += spec.stepMs) {
    clock.setTime(at);
    await send({ type: 'step', at });
    await settled(bot);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`sla-clocks child: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

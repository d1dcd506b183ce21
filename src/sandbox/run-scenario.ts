import { parseDuration } from '../domain/clock.js';
import type { SandboxDriver } from './driver.js';
import type { Scenario, ScenarioStep } from './scenario.js';
import { slackTs } from './slack-wire.js';
import type { Transcript } from './transcript.js';

const SHOWN = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral']);

/** Replays a scenario against a running driver; returns the failed expectations (empty = success). */
export async function runScenario(
  driver: SandboxDriver,
  scenario: Scenario,
  transcript: Transcript,
): Promise<string[]> {
  const failures: string[] = [];
  let seenCalls = 0;
  let lastEvent: { event: Record<string, unknown>; eventId: string; retries: number } | undefined;

  const flush = () => {
    const calls = driver.slack.calls.slice(seenCalls);
    seenCalls = driver.slack.calls.length;
    transcript.botCalls(calls.filter((c) => SHOWN.has(c.method)));
  };

  const runStep = async (step: ScenarioStep): Promise<void> => {
    if ('note' in step) return transcript.heading(step.note);
    if ('command' in step) {
      const { as, in: channel, text } = step.command;
      transcript.person(as, channel, `/opsbot ${text}`);
      const result = await driver.slashCommand({ user: as, channel, text });
      if (result.status !== 200) failures.push(`/opsbot ${text}: HTTP ${result.status}`);
      return transcript.ephemeral(as, result.body?.text as string | undefined);
    }
    if ('mention' in step) {
      const { as, in: channel, text } = step.mention;
      transcript.person(as, channel, `@opsbot ${text}`);
      const ts = slackTs(driver.clock.now());
      const event = {
        type: 'app_mention',
        user: as,
        channel,
        text: `<@U0OPSBOT01> ${text}`,
        ts,
        event_ts: ts,
      };
      const result = await driver.event(event);
      lastEvent = { event, eventId: result.eventId, retries: 0 };
      return;
    }
    if ('redeliver' in step) {
      if (!lastEvent) return void failures.push('redeliver: no event to redeliver yet');
      lastEvent.retries += 1;
      transcript.info(
        `Slack re-delivers event ${lastEvent.eventId} (retry #${lastEvent.retries}); the bot must ignore it`,
      );
      await driver.event(lastEvent.event, { eventId: lastEvent.eventId, retryNum: lastEvent.retries });
      return;
    }
    if ('slack_fault' in step) {
      const { method, ...fault } = step.slack_fault;
      transcript.info(`Slack starts failing ${method}: ${JSON.stringify(fault)}`);
      return driver.slack.failNext(method, fault);
    }
    if ('advance' in step) {
      await driver.settle();
      flush();
      transcript.info(`… ${step.advance} pass`);
      return driver.advance(parseDuration(step.advance) as number);
    }
    if ('restart' in step) {
      const down = step.restart.downFor;
      transcript.info(`the bot stops (SIGTERM)${down ? ` and stays down for ${down}` : ''}`);
      await driver.restart(() => {
        if (down) driver.clock.advance(down);
      });
      return transcript.info('the bot starts again on the same database');
    }
    if ('expect' in step) {
      await driver.settle();
      const count = driver.slack.messages(step.expect.channel).filter((m) => m.bot_id).length;
      if (count !== step.expect.messages) {
        failures.push(
          `expected ${step.expect.messages} bot message(s) in ${transcript.channel(step.expect.channel)}, found ${count}`,
        );
      }
      return;
    }
  };

  for (const step of scenario.steps) {
    await runStep(step);
    await driver.settle();
    flush();
  }
  return failures;
}

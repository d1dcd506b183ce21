import { parseDuration } from '../src/domain/clock.js';
import type { SandboxDriver } from './driver.js';
import type { Scenario, ScenarioStep } from './scenario.js';
import type { StandInFile } from './slack-standin/types.js';
import { slackTs } from './slack-wire.js';
import type { Transcript } from './transcript.js';

const SHOWN = new Set([
  'chat.postMessage',
  'chat.update',
  'chat.postEphemeral',
  'usergroups.users.update',
  'files.completeUploadExternal',
]);

/** Replays a scenario against a running driver; returns the failed expectations (empty = success). */
export async function runScenario(
  driver: SandboxDriver,
  scenario: Scenario,
  transcript: Transcript,
): Promise<string[]> {
  const failures: string[] = [];
  let seenCalls = 0;
  let lastEvent: { event: Record<string, unknown>; eventId: string; retries: number } | undefined;

  let seenSf = 0;
  let seenJira = 0;
  const flush = () => {
    const calls = driver.slack.calls.slice(seenCalls);
    seenCalls = driver.slack.calls.length;
    const files = calls.some((c) => c.method === 'files.completeUploadExternal') ? driver.slack.files() : [];
    transcript.botCalls(
      calls.filter((c) => SHOWN.has(c.method)),
      (id) => files.find((f) => f.id === id),
    );
    const sf = driver.integrations?.salesforce.calls ?? [];
    transcript.remoteCalls(
      'Salesforce',
      sf.slice(seenSf).filter((c) => c.method !== 'GET' && !c.path.includes('oauth2')),
    );
    seenSf = sf.length;
    const jira = driver.integrations?.jira.calls ?? [];
    transcript.remoteCalls(
      'Jira',
      jira.slice(seenJira).filter((c) => c.method !== 'GET' && !c.path.includes('/search')),
    );
    seenJira = jira.length;
  };

  const runStep = async (step: ScenarioStep): Promise<void> => {
    if ('note' in step) return transcript.heading(step.note);
    if ('command' in step) {
      const { as, in: channel, text, slash, reply } = step.command;
      transcript.person(as, channel, `${slash} ${text}`);
      const result = await driver.slashCommand({ user: as, channel, text, command: slash });
      if (result.status !== 200) failures.push(`${slash} ${text}: HTTP ${result.status}`);
      const answer = result.body?.text as string | undefined;
      if (reply !== undefined && !new RegExp(reply).test(answer ?? ''))
        failures.push(`${slash} ${text}: the reply does not match /${reply}/`);
      return transcript.ephemeral(as, answer);
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
    if ('outage' in step) {
      const { system, down } = step.outage;
      const target = driver.integrations?.[system];
      if (!target) return void failures.push(`outage: the scenario does not run with integrations`);
      target.setDown(down);
      transcript.info(
        `${system === 'salesforce' ? 'Salesforce' : 'Jira'} ${down ? 'goes DOWN (every call answers 503)' : 'is back up'}`,
      );
      return;
    }
    if ('restart' in step) {
      const down = step.restart.downFor;
      transcript.info(`the bot stops (SIGTERM)${down ? ` and stays down for ${down}` : ''}`);
      await driver.restart(() => {
        if (down) driver.clock.advance(down);
      });
      return transcript.info('the bot starts again on the same database');
    }
    if ('alarm' in step) {
      const { in: channel, text, from } = step.alarm;
      transcript.integration(from, channel, text);
      await driver.postMessage({ channel, text, botId: integrationBotId(from), username: from });
      return;
    }
    if ('storm' in step) {
      const { in: channel, count, text, spread, from } = step.storm;
      const gap = spread ? (parseDuration(spread) as number) / count : 0;
      transcript.info(
        `${from} posts ${count} alarms in ${transcript.channel(channel)}${spread ? ` over ${spread}` : ''}, e.g.`,
      );
      for (let i = 1; i <= count; i++) {
        const line = text
          .replaceAll('{i}', String(i))
          .replaceAll('{node}', String(Math.ceil(i / 4)))
          .replaceAll('{port}', String((i - 1) % 4));
        if (i <= 2 || i === count) transcript.integration(from, channel, line);
        if (i === 3 && count > 3) transcript.info(`… ${count - 3} more …`);
        await driver.postMessage({ channel, text: line, botId: integrationBotId(from), username: from });
        if (gap > 0) driver.clock.advance(Math.round(gap));
        if (i % 50 === 0) {
          await driver.settle();
          flush();
        }
      }
      return;
    }
    if ('webhook' in step) {
      const { kind, tenant, body, token, expectStatus } = step.webhook;
      const result = await driver.webhook(kind, tenant, body, token ? { token } : {});
      transcript.info(`POST /webhooks/${kind}/${tenant} → ${result.status} ${JSON.stringify(result.body)}`);
      if (result.status !== expectStatus)
        failures.push(`webhook ${kind}/${tenant}: expected HTTP ${expectStatus}, got ${result.status}`);
      return;
    }
    if ('click' in step) {
      const { as, incident: id, action, value } = step.click;
      const incident = driver.inspect.incidents.get(id);
      if (!incident?.cardTs) return void failures.push(`click: INC-${id} has no card to click on`);
      transcript.person(as, incident.channel, `clicks "${action}" on INC-${id}`);
      await driver.click({
        user: as,
        channel: incident.channel,
        messageTs: incident.cardTs,
        actionId: action,
        value: value ?? String(id),
      });
      return;
    }
    if ('press' in step) {
      const { as, in: channel, message, action, value } = step.press;
      const pattern = new RegExp(message);
      const target = driver.slack
        .messages(channel)
        .filter((m) => m.bot_id && !m.deleted && pattern.test(`${m.text}\n${JSON.stringify(m.blocks ?? [])}`))
        .at(-1);
      if (!target) return void failures.push(`press: no bot message in ${channel} matches /${message}/`);
      transcript.person(as, channel, `clicks "${action}"`);
      await driver.click({ user: as, channel, messageTs: target.ts, actionId: action, value });
      return;
    }
    if ('customerMessage' in step) {
      const { as, in: channel, team, text } = step.customerMessage;
      transcript.person(as, channel, text);
      const ts = driver.slack.mintTs();
      await driver.event({
        type: 'message',
        channel,
        user: as,
        user_team: team,
        source_team: team,
        text,
        ts,
        event_ts: ts,
        channel_type: 'channel',
      });
      return;
    }
    if ('submitModal' in step) {
      const { as, values } = step.submitModal;
      transcript.person(as, 'modal', `submits ${JSON.stringify(values)}`);
      const result = await driver.submitView({ user: as, values });
      if (result.body?.response_action === 'errors')
        transcript.info(`the modal refuses: ${JSON.stringify(result.body.errors)}`);
      return;
    }
    if ('expect' in step) {
      await driver.settle();
      failures.push(...check(driver, transcript, step.expect));
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

/** Integrations post as bots; each name gets a stable fake bot id. */
function integrationBotId(name: string): string {
  return `B0${name
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
    .padEnd(8, 'X')
    .slice(0, 8)}`;
}

type Expectation = Extract<ScenarioStep, { expect: unknown }>['expect'];

function check(driver: SandboxDriver, transcript: Transcript, e: Expectation): string[] {
  // Before 'matching': a file expectation may carry one too.
  if ('file' in e) {
    const files = driver.slack.files(e.channel).filter((f) => f.filename === e.file);
    if (files.length !== 1)
      return [
        `expected one file ${e.file} shared in ${transcript.channel(e.channel)}, found ${files.length}`,
      ];
    const content = (files[0] as StandInFile).content;
    return e.matching === undefined || new RegExp(e.matching).test(content)
      ? []
      : [`the file ${e.file} does not match /${e.matching}/`];
  }
  if ('usergroup' in e) {
    const found = [...(driver.slack.usergroupMembers(e.usergroup) ?? [])].sort();
    const wanted = [...e.members].sort();
    return found.join(',') === wanted.join(',')
      ? []
      : [
          `expected user group ${e.usergroup} to hold ${wanted.join(', ')}, found ${found.join(', ') || 'nobody'}`,
        ];
  }
  if ('messages' in e) {
    const count = driver.slack.messages(e.channel).filter((m) => m.bot_id).length;
    return count === e.messages
      ? []
      : [`expected ${e.messages} bot message(s) in ${transcript.channel(e.channel)}, found ${count}`];
  }
  if ('openIncidents' in e) {
    const open = driver.inspect.incidents.listOpen(e.tenant).length;
    return open === e.openIncidents
      ? []
      : [`expected ${e.openIncidents} open incident(s)${e.tenant ? ` for ${e.tenant}` : ''}, found ${open}`];
  }
  if ('cases' in e || 'issues' in e) {
    const problems: string[] = [];
    const cases = driver.integrations?.salesforce.cases().length ?? 0;
    const issues = driver.integrations?.jira.issues().length ?? 0;
    if (e.cases !== undefined && cases !== e.cases)
      problems.push(`expected ${e.cases} Salesforce case(s), found ${cases}`);
    if (e.issues !== undefined && issues !== e.issues)
      problems.push(`expected ${e.issues} Jira issue(s), found ${issues}`);
    return problems;
  }
  if ('matching' in e) {
    const pattern = new RegExp(e.matching);
    const found = driver.slack
      .messages(e.channel)
      .some((m) => m.bot_id && !m.deleted && pattern.test(`${m.text}\n${JSON.stringify(m.blocks ?? [])}`));
    return found ? [] : [`no bot message in ${transcript.channel(e.channel)} matches /${e.matching}/`];
  }
  if ('storedAlarms' in e) {
    const stored = driver.inspect.alarms.rawCount();
    return stored === e.storedAlarms ? [] : [`expected ${e.storedAlarms} stored alarm(s), found ${stored}`];
  }
  if (!('card' in e)) return [];
  const incident = driver.inspect.incidents.get(e.incident);
  const card = incident?.cardTs
    ? driver.slack.messages(incident.channel).find((m) => m.ts === incident.cardTs)
    : undefined;
  if (!card) return [`INC-${e.incident} has no card`];
  const content = `${card.text}\n${JSON.stringify(card.blocks ?? [])}`;
  return new RegExp(e.card).test(content) ? [] : [`INC-${e.incident}'s card does not match /${e.card}/`];
}

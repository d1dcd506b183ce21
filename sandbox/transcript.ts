// Turns what the bot did (Slack Web API calls recorded by the stand-in, replies in acks) into a
// transcript a person can read: who said what where, and what the bot posted back.
import type { OpsbotConfig } from '../src/config/schema.js';
import { sandboxChannels } from './driver.js';
import type { RecordedCall } from './slack-standin/types.js';

export class Transcript {
  private readonly names = new Map<string, string>();
  readonly lines: string[] = [];

  constructor(
    config: OpsbotConfig,
    private readonly now: () => number,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    for (const channel of sandboxChannels(config)) this.names.set(channel.id, `#${channel.name}`);
  }

  channel(id: string): string {
    return this.names.get(id) ?? id;
  }

  heading(text: string): void {
    this.emit(`\n── ${text}`);
  }

  person(user: string, channel: string, text: string): void {
    this.emit(`${this.time()}  → <@${user}> in ${this.channel(channel)}: ${text}`);
  }

  integration(name: string, channel: string, text: string): void {
    this.emit(`${this.time()}  → ${name} (integration) in ${this.channel(channel)}: ${text}`);
  }

  info(text: string): void {
    this.emit(`${this.time()}  · ${text}`);
  }

  ephemeral(user: string, text: string | undefined): void {
    if (text) this.emit(`${this.time()}  ← (only <@${user}> sees) ${indent(text)}`);
  }

  /** Renders the bot's Web API writes since the last call. */
  botCalls(calls: RecordedCall[]): void {
    for (const call of calls) {
      const { channel, text, thread_ts: thread } = call.args as Record<string, string | undefined>;
      const where = `${this.channel(String(channel))}${thread ? ' (thread)' : ''}`;
      if (!call.ok) {
        this.emit(
          `${this.time(call.at)}  ✗ ${call.method} to ${where} failed: ${call.error} (HTTP ${call.status})`,
        );
      } else if (call.method === 'chat.postMessage') {
        this.emit(`${this.time(call.at)}  ← bot in ${where}: ${indent(String(text ?? ''))}`);
      } else if (call.method === 'chat.update') {
        this.emit(`${this.time(call.at)}  ↻ bot updated its card in ${where}: ${indent(String(text ?? ''))}`);
      } else if (call.method === 'usergroups.users.update') {
        this.emit(
          `${this.time(call.at)}  ⚑ bot set user group ${call.args.usergroup} to ${String(call.args.users)}`,
        );
      } else if (call.method === 'chat.postEphemeral') {
        this.emit(
          `${this.time(call.at)}  ← (only <@${call.args.user}> sees, in ${where}) ${indent(String(text ?? ''))}`,
        );
      }
    }
  }

  /** Writes the bot made to Salesforce or Jira (method, path, answer). */
  remoteCalls(system: string, calls: Array<{ method: string; path: string; status: number }>): void {
    for (const call of calls) {
      const ok = call.status < 300 ? '' : '  ✗';
      // The stand-ins do not time-stamp calls: these happened during the step above.
      this.emit(
        `          ⇢ ${system}: ${call.method} ${decodeURIComponent(call.path).slice(0, 90)} → ${call.status}${ok}`,
      );
    }
  }

  private time(at = this.now()): string {
    return new Date(at).toISOString().slice(11, 19);
  }

  private emit(line: string): void {
    this.lines.push(line);
    this.write(line);
  }
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n            ');
}

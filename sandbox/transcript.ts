// Turns what the bot did (Slack Web API calls recorded by the stand-in, replies in acks) into a
// transcript a person can read: who said what where, and what the bot posted back.
import type { OpsbotConfig } from '../src/config/schema.js';
import { sandboxChannels } from './driver.js';
import type { RecordedCall, StandInFile } from './slack-standin/types.js';

/**
 * A shared file longer than this shows its first FILE_HEAD and last FILE_TAIL lines: a report's
 * header and its totals (the CSV of /sla report ends with the credits).
 */
const FILE_PREVIEW_LINES = 10;
const FILE_HEAD = 3;
const FILE_TAIL = 6;

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
    // The bot opens a DM by posting to the user's id; say so instead of printing a bare id.
    return this.names.get(id) ?? (/^[UW][A-Z0-9]{8,}$/.test(id) ? `DM to <@${id}>` : id);
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

  /**
   * Renders the bot's Web API writes since the last call; `file` looks up what a completed upload
   * shared (files.completeUploadExternal carries only the file's id), so the transcript can show it.
   */
  botCalls(calls: RecordedCall[], file: (id: string) => StandInFile | undefined = () => undefined): void {
    for (const call of calls) {
      const { text, thread_ts: thread } = call.args as Record<string, string | undefined>;
      // files.completeUploadExternal names its channel channel_id; chat.* say channel.
      const channel = call.args.channel ?? call.args.channel_id;
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
      } else if (call.method === 'files.completeUploadExternal') {
        const refs = (Array.isArray(call.args.files) ? call.args.files : []) as Array<{ id?: string }>;
        for (const ref of refs) this.sharedFile(call.at, where, ref.id ? file(ref.id) : undefined);
      }
    }
  }

  /** A file the bot shared: its name, the comment it came with, and its first lines. */
  private sharedFile(at: number, where: string, file: StandInFile | undefined): void {
    if (!file) {
      this.emit(`${this.time(at)}  ⎘ bot shared a file in ${where}`);
      return;
    }
    const comment = file.initialComment ? `: ${indent(file.initialComment)}` : '';
    this.emit(`${this.time(at)}  ⎘ bot shared file ${file.filename} in ${where}${comment}`);
    const lines = file.content.split(/\r?\n/);
    if (lines.at(-1) === '') lines.pop();
    const long = lines.length > FILE_PREVIEW_LINES;
    for (const line of long ? lines.slice(0, FILE_HEAD) : lines) this.emit(`            │ ${line}`);
    if (!long) return;
    this.emit(`            │ … ${lines.length - FILE_HEAD - FILE_TAIL} more line(s) …`);
    for (const line of lines.slice(-FILE_TAIL)) this.emit(`            │ ${line}`);
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

// GoAlert-style smoke harness: the real app over HTTP or Socket Mode, a fresh SQLite file, the
// Slack stand-in and a fake clock, with fluent expectations. `finish()` fails the test when the
// bot posted a message nobody expected — silence is part of the contract too.
import { expect } from 'vitest';
import { type DriverOptions, SandboxDriver } from '../../sandbox/driver.js';
import { FILE_UPLOAD_METHOD, RESPONSE_URL_METHOD } from '../../sandbox/slack-standin/index.js';
import type { StandInFile, StoredMessage } from '../../sandbox/slack-standin/types.js';
import { WEB_API_METHOD_SCOPES } from '../../src/slack/scopes.js';

export class Harness {
  private readonly claimed = new Set<string>();

  private constructor(readonly driver: SandboxDriver) {}

  static async start(opts: DriverOptions = {}): Promise<Harness> {
    return new Harness(await SandboxDriver.start({ random: () => 1, ...opts }));
  }

  get slack() {
    return this.driver.slack;
  }

  get clock() {
    return this.driver.clock;
  }

  /** A read-only look inside the running bot (incidents, stored alarms, job counts). */
  get bot() {
    return this.driver.inspect;
  }

  channel(id: string): ChannelExpectations {
    return new ChannelExpectations(this, id);
  }

  /** `/opsbot <text>` as `user` in `channel`; returns the ephemeral reply text. */
  async opsbot(text: string, as: { user: string; channel: string }): Promise<string> {
    const result = await this.driver.slashCommand({ ...as, text });
    expect(result.status).toBe(200);
    expect(result.body?.response_type).toBe('ephemeral');
    return String(result.body?.text ?? '');
  }

  async advance(by: string | number): Promise<void> {
    await this.driver.advance(by);
  }

  /** Marks a message as expected by the test (so finish() does not flag it). */
  claim(message: StoredMessage): void {
    this.claimed.add(`${message.channel}/${message.ts}`);
  }

  /** Every message the bot posted must have been expected. Then shut everything down. */
  async finish(): Promise<void> {
    try {
      await this.driver.settle();
      const unexpected = this.slack
        .messages()
        .filter((m) => m.bot_id && !this.claimed.has(`${m.channel}/${m.ts}`))
        .map((m) => {
          const files = m.files ? ` [files: ${m.files.map((f) => f.name).join(', ')}]` : '';
          return `${m.channel}: ${m.text.slice(0, 120)}${files}`;
        });
      expect(unexpected, 'the bot posted messages no test expected').toEqual([]);
      // Every Web API method the bot called must be accounted for in the manifest's scopes.
      const unlisted = [...new Set(this.slack.calls.map((c) => c.method))].filter(
        (m) => m !== RESPONSE_URL_METHOD && m !== FILE_UPLOAD_METHOD && !(m in WEB_API_METHOD_SCOPES),
      );
      expect(unlisted, 'Web API methods missing from src/slack/scopes.ts').toEqual([]);
    } finally {
      await this.driver.stop();
    }
  }

  /** Shut down without the unexpected-message check (for failing tests' cleanup). */
  async abort(): Promise<void> {
    await this.driver.stop().catch(() => {});
  }
}

export class ChannelExpectations {
  constructor(
    private readonly harness: Harness,
    private readonly channel: string,
  ) {}

  /** The bot's messages here whose text matches, oldest first. */
  find(pattern: RegExp, opts: { threadTs?: string } = {}): StoredMessage[] {
    return this.harness.slack
      .messages(this.channel)
      .filter((m) => m.bot_id && pattern.test(m.text))
      .filter((m) => opts.threadTs === undefined || m.thread_ts === opts.threadTs);
  }

  /** Exactly one bot message matches (after pending jobs ran); returns it and marks it expected. */
  async expectMessage(pattern: RegExp, opts: { threadTs?: string } = {}): Promise<StoredMessage> {
    await this.harness.driver.settle();
    const found = this.find(pattern, opts);
    expect(found, `messages in ${this.channel} matching ${pattern}`).toHaveLength(1);
    const message = found[0] as StoredMessage;
    this.harness.claim(message);
    return message;
  }

  /**
   * Exactly one file the bot shared here has this filename (after pending jobs ran); returns it
   * with its content and marks the message that shares it expected.
   */
  async expectFile(filename: string | RegExp, opts: { threadTs?: string } = {}): Promise<StandInFile> {
    await this.harness.driver.settle();
    const found = this.harness.slack
      .files(this.channel)
      .filter((f) => (typeof filename === 'string' ? f.filename === filename : filename.test(f.filename)))
      .filter((f) => opts.threadTs === undefined || f.threadTs === opts.threadTs);
    expect(found, `files in ${this.channel} named ${filename}`).toHaveLength(1);
    const file = found[0] as StandInFile;
    const share = this.harness.slack.messages(this.channel).find((m) => m.ts === file.ts);
    if (share) this.harness.claim(share);
    return file;
  }

  async expectNoMessage(pattern: RegExp): Promise<void> {
    await this.harness.driver.settle();
    expect(this.find(pattern)).toEqual([]);
  }
}

// An in-process stand-in for the Slack platform speaking the real wire formats, so the real Bolt app,
// WebClient and SocketModeClient run unmodified against it: point `slackApiUrl` at `apiUrl` and give
// the app `botToken`/`appToken`. Every call is recorded; faults can be injected per method. Files the
// bot shares (files.uploadV2) are read back with `files(channel)`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SANDBOX_IDS, type SlashCommandPayload } from '../slack-wire.js';
import { FaultPlan } from './faults.js';
import { type ButtonClick, blockActionsFor, type SlashCommandFields, slashCommandFor } from './payloads.js';
import { CallRecorder } from './recorder.js';
import { ResponseUrls } from './response-urls.js';
import { SocketModeServer } from './socket-mode.js';
import { type ViewRecord, WorkspaceState } from './state.js';
import type {
  FaultSpec,
  RecordedCall,
  SlackStandInOptions,
  StandInChannel,
  StandInFile,
  StandInUser,
  StoredMessage,
} from './types.js';
import { webApiListener } from './web-api.js';

export type { ButtonClick, SlashCommandFields } from './payloads.js';
export type { EnvelopeOptions, EventsApiOptions, SocketModeServer } from './socket-mode.js';
export type { ViewRecord } from './state.js';
export type * from './types.js';
export { FILE_UPLOAD_METHOD } from './uploads.js';
export { RESPONSE_URL_METHOD } from './web-api.js';

const DEFAULT_CHANNELS: StandInChannel[] = [{ id: 'C0GENERAL1', name: 'general' }];

export class SlackStandIn {
  /** Web API base URL with a trailing slash, e.g. `http://127.0.0.1:PORT/api/` (WebClient `slackApiUrl`). */
  readonly apiUrl: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly socket: SocketModeServer;
  /** Every Web API, response_url and upload URL call, in arrival order; `clearCalls()` empties it in place. */
  readonly calls: RecordedCall[];

  private constructor(
    private readonly server: Server,
    private readonly state: WorkspaceState,
    private readonly recorder: CallRecorder,
    private readonly faults: FaultPlan,
    private readonly responseUrls: ResponseUrls,
    socket: SocketModeServer,
    baseUrl: string,
    tokens: { bot: string; app: string },
  ) {
    this.apiUrl = `${baseUrl}api/`;
    this.botToken = tokens.bot;
    this.appToken = tokens.app;
    this.socket = socket;
    this.calls = recorder.calls;
  }

  static async start(opts: SlackStandInOptions = {}): Promise<SlackStandIn> {
    const host = opts.host ?? '127.0.0.1';
    const tokens = { bot: opts.botToken ?? SANDBOX_IDS.botToken, app: opts.appToken ?? SANDBOX_IDS.appToken };
    const state = new WorkspaceState(
      {
        teamId: opts.teamId ?? SANDBOX_IDS.teamId,
        teamDomain: SANDBOX_IDS.teamDomain,
        apiAppId: opts.apiAppId ?? SANDBOX_IDS.apiAppId,
        botUserId: opts.botUserId ?? SANDBOX_IDS.botUserId,
        botId: opts.botId ?? SANDBOX_IDS.botId,
        botName: 'opsbot',
      },
      opts.now ?? Date.now,
    );
    for (const user of opts.users ?? []) state.addUser(user);
    for (const channel of opts.channels ?? DEFAULT_CHANNELS) state.addChannel(channel);
    for (const group of opts.usergroups ?? []) state.addUsergroup(group);

    // URLs are only known once listening (port 0), hence the late-bound base.
    let base = '';
    const recorder = new CallRecorder();
    const faults = new FaultPlan();
    const responseUrls = new ResponseUrls(state, () => base);
    const socket = new SocketModeServer(state, responseUrls, () => base.replace(/^http/, 'ws'));
    const server = createServer(
      webApiListener({
        state,
        recorder,
        faults,
        responseUrls,
        botToken: tokens.bot,
        appToken: tokens.app,
        issueSocketUrl: () => socket.issueUrl(),
        uploadUrlFor: (fileId) => `${base}upload/v1/${encodeURIComponent(fileId)}`,
      }),
    );
    server.on('upgrade', (req, conn, head) => socket.handleUpgrade(req, conn, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    // A wildcard bind is still reached over loopback by the in-process app.
    const urlHost =
      host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    base = `http://${urlHost}:${port}/`;
    return new SlackStandIn(server, state, recorder, faults, responseUrls, socket, base, tokens);
  }

  callsTo(method: string): RecordedCall[] {
    return this.recorder.callsTo(method);
  }

  /** Resolves with the first matching call already recorded, or the next one; rejects after `timeoutMs`. */
  waitForCall(
    method: string,
    predicate?: (call: RecordedCall) => boolean,
    timeoutMs = 5000,
  ): Promise<RecordedCall> {
    return this.recorder.waitForCall(method, predicate, timeoutMs);
  }

  /** A fresh message ts, unique across the workspace (for messages people post in tests). */
  mintTs(): string {
    return this.state.nextTs();
  }

  clearCalls(): void {
    this.recorder.clear();
  }

  /**
   * Makes the next call(s) of `method` (or `'*'`: any method, `'response_url'`, or FILE_UPLOAD_METHOD
   * for the upload URLs) fail; with `afterHandling` the call takes effect and only its answer fails.
   */
  failNext(method: string, fault: FaultSpec): void {
    this.faults.add(method, fault);
  }

  /** Current state (snapshots) of live messages, replies included, in ts order. */
  messages(channel?: string): StoredMessage[] {
    return structuredClone(this.state.messages(channel));
  }

  /**
   * Files the bot shared in channels (uploaded, then completed with a channel), oldest first, with
   * their content as UTF-8 text. Uploads never completed, or completed without a channel, are not here.
   */
  files(channel?: string): StandInFile[] {
    const shared: StandInFile[] = [];
    for (const upload of this.state.uploads.values()) {
      const done = upload.completed;
      if (!done?.channel || !done.ts || (channel !== undefined && done.channel !== channel)) continue;
      shared.push({
        id: upload.id,
        channel: done.channel,
        ts: done.ts,
        ...(done.threadTs !== undefined ? { threadTs: done.threadTs } : {}),
        filename: upload.filename,
        title: done.title,
        content: upload.bytes?.toString('utf8') ?? '',
        ...(done.initialComment !== undefined ? { initialComment: done.initialComment } : {}),
      });
    }
    return shared.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  }

  /** Modals and App Home views the bot opened/published (snapshots). */
  views(): ViewRecord[] {
    return structuredClone([...this.state.views.values()]);
  }

  addUser(user: StandInUser): void {
    this.state.addUser(user);
  }

  /** Current members of a user group (undefined for an unknown group). */
  usergroupMembers(id: string): string[] | undefined {
    const group = this.state.usergroups.get(id);
    return group ? [...group.users] : undefined;
  }

  addChannel(channel: StandInChannel): void {
    this.state.addChannel(channel);
  }

  /** A block_actions payload for a click on a button of a stored message, with a stand-in response_url. */
  /** What people do to a channel outside the bot: remove the bot from it, archive it, or undo that. */
  setChannelState(id: string, change: { is_member?: boolean; is_archived?: boolean }): void {
    const channel = this.state.channels.get(id);
    if (!channel) throw new Error(`setChannelState: no channel ${id}`);
    Object.assign(channel, change);
  }

  blockActions(click: ButtonClick): Record<string, unknown> {
    return blockActionsFor(this.state, this.responseUrls, click);
  }

  /** Full slash command fields (for HTTP mode: `slashCommandForm(standin.slashCommand(...))`). */
  slashCommand(fields: SlashCommandFields): SlashCommandPayload {
    return slashCommandFor(this.state, this.responseUrls, fields);
  }

  /** Stop the app under test first: a SocketModeClient left running keeps retrying a dead URL. */
  async stop(): Promise<void> {
    this.recorder.rejectWaiters('slack stand-in stopped');
    await this.socket.close();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}

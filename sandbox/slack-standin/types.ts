// Shapes shared by the stand-in's modules and exposed to tests, the e2e harness and the sandbox.

/** One Web API (or response_url) request as the stand-in saw it. */
export interface RecordedCall {
  method: string;
  /** Decoded arguments without the token: JSON-in-form fields (blocks, view…) are objects again. */
  args: Record<string, unknown>;
  /** Stand-in clock (`now()`), epoch ms. */
  at: number;
  ok: boolean;
  error?: string;
  /** HTTP status returned: 200 (also for `ok:false`, as Slack does), 429 or the injected 5xx. */
  status: number;
}

/** A Socket Mode envelope the app acknowledged in time. */
export interface AckRecord {
  envelopeId: string;
  /** The ack's `payload` (SocketModeClient always sends one, `{}` when the app passes nothing). */
  payload: unknown;
  ackedAfterMs: number;
}

/** An ack that matched no waiting envelope: unknown id, sent after the timeout, or sent twice. */
export interface StrayAck {
  envelopeId: string | undefined;
  payload: unknown;
  reason: 'unknown_envelope' | 'late' | 'duplicate';
  at: number;
}

export interface StandInUser {
  id: string;
  name: string;
  real_name?: string;
  tz?: string;
  is_bot?: boolean;
  /** A guest (multi-channel guest) of the workspace, as users.info reports it. */
  is_restricted?: boolean;
}

export interface StandInChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_ext_shared?: boolean;
  /** Whether the bot is in the channel (default true); conversations.join sets it. */
  is_member?: boolean;
  /** An archived channel answers posts with `is_archived` (default false). */
  is_archived?: boolean;
}

export interface StandInUsergroup {
  id: string;
  handle: string;
  name?: string;
  users?: string[];
}

export interface SlackStandInOptions {
  host?: string;
  port?: number;
  botToken?: string;
  appToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  apiAppId?: string;
  users?: StandInUser[];
  /** Defaults to one public `#general` (C0GENERAL1) when omitted. */
  channels?: StandInChannel[];
  usergroups?: StandInUsergroup[];
  /** Clock for message ts, event_time and `RecordedCall.at` (pass the harness's fake clock). */
  now?: () => number;
}

/** One version of a message: the original post, then one per chat.update. */
export interface MessageVersion {
  at: number;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
}

export interface StoredMessage {
  channel: string;
  ts: string;
  /** Set on thread replies (and on parents that have replies, as Slack does). */
  thread_ts?: string;
  user: string;
  bot_id?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  reply_broadcast?: boolean;
  reply_count?: number;
  /** ts of the last chat.update, rendered as Slack's `edited: {user, ts}`. */
  edited_ts?: string;
  reactions?: Array<{ name: string; users: string[]; count: number }>;
  /** Files shared by this message (files.completeUploadExternal); `text` is then the initial comment. */
  files?: Array<{ id: string; name: string; title: string }>;
  /** Oldest first; the last entry equals the current text/blocks/attachments. */
  history: MessageVersion[];
  deleted: boolean;
}

/** A file the bot shared in a channel (upload URL + files.completeUploadExternal), as tests read it. */
export interface StandInFile {
  id: string;
  channel: string;
  /** ts of the message that shares the file (claim it in the e2e harness like any bot post). */
  ts: string;
  /** Set when the file was shared as a thread reply. */
  threadTs?: string;
  filename: string;
  title: string;
  /** The uploaded bytes decoded as UTF-8. */
  content: string;
  initialComment?: string;
}

export interface FaultSpec {
  /** How many consecutive calls fail (default 1). */
  times?: number;
  /** HTTP 429 with `Retry-After: <sec>` and `{ok:false,error:'ratelimited'}`. */
  rateLimitedRetryAfterSec?: number;
  /** A bare HTTP error status (e.g. 500, 503). */
  httpStatus?: number;
  /** HTTP 200 with `{ok:false,error}`. */
  error?: string;
  /**
   * Run the method first, then answer with the fault: Slack did the work but the reply was lost
   * (a timeout, a 5xx from the edge). For checking that a retry does not do the work twice.
   */
  afterHandling?: boolean;
}

// The stand-in's small in-memory workspace: who exists, which channels, and what the bot posted.
// Only what the Web API methods we serve need; everything is keyed by Slack ids.
import type { StandInChannel, StandInUser, StandInUsergroup, StoredMessage } from './types.js';

/** UTC offset in seconds of an IANA zone at an instant; throws RangeError for unknown zones. */
export function tzOffsetSeconds(tz: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(
    atMs,
  );
  const label = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(label);
  if (!match) return 0; // plain "GMT": UTC itself
  const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60;
  return match[1] === '-' ? -seconds : seconds;
}

export interface WorkspaceIdentity {
  teamId: string;
  teamDomain: string;
  apiAppId: string;
  botUserId: string;
  botId: string;
  botName: string;
}

export interface ChannelRecord {
  id: string;
  name: string;
  is_private: boolean;
  is_ext_shared: boolean;
  is_im: boolean;
  is_member: boolean;
  /** Archived channels refuse posts with `is_archived`, as Slack does. */
  is_archived: boolean;
  /** Epoch seconds. */
  created: number;
}

export interface ViewRecord {
  id: string;
  type: string;
  callback_id: string;
  external_id: string;
  private_metadata: string;
  hash: string;
  /** Set for App Home views published with views.publish. */
  user_id?: string;
  definition: Record<string, unknown>;
  /** Earlier definitions, oldest first (views.update/publish replace the definition). */
  history: Array<Record<string, unknown>>;
}

/**
 * One external upload: opened by files.getUploadURLExternal, filled by a POST to its upload URL,
 * shared (once) by files.completeUploadExternal.
 */
export interface UploadRecord {
  id: string;
  filename: string;
  /** The `length` the caller announced. */
  length: number;
  /** Set once bytes were posted to the upload URL (a second POST replaces them). */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal; the upload can be completed only once. */
  completed?: {
    title: string;
    /** Absent when no channel was given: the file stays private, no message is posted. */
    channel?: string;
    ts?: string;
    threadTs?: string;
    initialComment?: string;
  };
}

export class WorkspaceState {
  readonly users = new Map<string, StandInUser>();
  readonly channels = new Map<string, ChannelRecord>();
  readonly usergroups = new Map<string, Required<Omit<StandInUsergroup, 'name'>> & { name: string }>();
  readonly views = new Map<string, ViewRecord>();
  /** Trigger ids are single-use in Slack; a second views.open with one fails. */
  readonly usedTriggers = new Set<string>();
  /** External file uploads by file id, in the order they were opened. */
  readonly uploads = new Map<string, UploadRecord>();
  readonly #messages = new Map<string, StoredMessage[]>();
  /**
   * The same messages by channel and ts: every threaded reply and chat.update looks its message
   * up, and scanning the channel made a run with 10,000 cards and their threads quadratic.
   */
  readonly #byTs = new Map<string, StoredMessage[]>();
  #lastTsMicros = 0;

  constructor(
    readonly identity: WorkspaceIdentity,
    readonly now: () => number,
  ) {
    this.addUser({ id: identity.botUserId, name: identity.botName, real_name: 'Ops Bot', is_bot: true });
  }

  addUser(user: StandInUser): void {
    if (user.tz !== undefined) tzOffsetSeconds(user.tz, 0); // an unknown zone fails here, at setup
    this.users.set(user.id, { ...user });
  }

  addChannel(channel: StandInChannel): void {
    this.channels.set(channel.id, {
      id: channel.id,
      name: channel.name.replace(/^#/, ''),
      is_private: channel.is_private ?? false,
      is_ext_shared: channel.is_ext_shared ?? false,
      is_im: false,
      is_member: channel.is_member ?? true,
      is_archived: channel.is_archived ?? false,
      created: Math.floor(this.now() / 1000),
    });
  }

  addUsergroup(group: StandInUsergroup): void {
    this.usergroups.set(group.id, {
      id: group.id,
      handle: group.handle,
      name: group.name ?? group.handle,
      users: [...(group.users ?? [])],
    });
  }

  /**
   * Resolves a `channel` argument the way Slack does: an id, a name with or without `#`, or a user id
   * (posting to a user id lands in the app's DM with them, which Slack reports as a `D…` channel).
   */
  resolveChannel(ref: string): ChannelRecord | undefined {
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.replace(/^#/, '');
    for (const channel of this.channels.values()) {
      if (!channel.is_im && channel.name === name) return channel;
    }
    if (this.users.has(ref)) return this.#openDm(ref);
    return undefined;
  }

  #openDm(userId: string): ChannelRecord {
    const id = `D${userId.slice(1)}`;
    const existing = this.channels.get(id);
    if (existing) return existing;
    const dm: ChannelRecord = {
      id,
      name: userId,
      is_private: true,
      is_ext_shared: false,
      is_im: true,
      is_member: true,
      is_archived: false,
      created: Math.floor(this.now() / 1000),
    };
    this.channels.set(id, dm);
    return dm;
  }

  /** Message ts are unique and strictly increasing even when the (fake) clock stands still. */
  nextTs(): string {
    const micros = Math.max(Math.floor(this.now() * 1000), this.#lastTsMicros + 100);
    this.#lastTsMicros = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  addMessage(message: StoredMessage): void {
    const list = this.#messages.get(message.channel) ?? [];
    list.push(message);
    this.#messages.set(message.channel, list);
    const key = `${message.channel} ${message.ts}`;
    const same = this.#byTs.get(key);
    if (same) same.push(message);
    else this.#byTs.set(key, [message]);
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.#byTs.get(`${channel} ${ts}`)?.find((m) => !m.deleted);
  }

  /** Live messages (top-level and replies) in ts order, across channels when none is given. */
  messages(channel?: string): StoredMessage[] {
    const lists = channel === undefined ? [...this.#messages.values()] : [this.#messages.get(channel) ?? []];
    return lists
      .flat()
      .filter((m) => !m.deleted)
      .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0)); // fixed-width ts: string order is time order
  }
}

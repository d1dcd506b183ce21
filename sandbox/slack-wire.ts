// Pure builders for the payloads Slack sends to an app, shared by the Slack stand-in (Socket Mode),
// the e2e harness (signed HTTP requests) and the sandbox. One implementation of each shape, so the
// bot is always tested against the same wire format whichever transport carries it.
// No I/O here; time is passed in (`nowMs`) wherever a payload carries a timestamp.
import { createHmac, randomBytes } from 'node:crypto';

/** Identities of the sandbox workspace; the stand-in uses them as its defaults. */
export const SANDBOX_IDS = {
  teamId: 'T0SANDBOX1',
  teamDomain: 'sandbox',
  apiAppId: 'A0SANDBOX1',
  botUserId: 'U0OPSBOT01',
  botId: 'B0OPSBOT01',
  botToken: 'xoxb-sandbox-token',
  appToken: 'xapp-sandbox-token',
  /** Slack still sends the deprecated verification token in every payload's `token` field. */
  verificationToken: 'sandbox-verification-token',
} as const;

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function randomChars(length: number, alphabet: string): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** A Slack-looking id: `newId('Ev')` → `Ev0F3K9Q2ZBX`, `newId('V')` → `V07H2M4PQ1RA`. */
export function newId(prefix: string, length = 10): string {
  return prefix + randomChars(length, ALPHANUMERIC);
}

/** Trigger ids look like `12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3`. */
export function newTriggerId(): string {
  return `${randomChars(11, '0123456789')}.${randomChars(12, '0123456789')}.${randomBytes(16).toString('hex')}`;
}

/**
 * A response_url as Slack mints them (`https://hooks.slack.com/commands/T…/123…/abc…`). `base` lets the
 * stand-in point them at itself so `respond()` stays on loopback and is recorded.
 */
export function newResponseUrl(
  kind: 'commands' | 'actions',
  teamId: string,
  base = 'https://hooks.slack.com',
): string {
  const secret = randomChars(24, `${ALPHANUMERIC}abcdefghijklmnopqrstuvwxyz`);
  return `${base.replace(/\/$/, '')}/${kind}/${teamId}/${randomChars(13, '0123456789')}/${secret}`;
}

/** Slack message timestamps (`1700000000.000100`) from epoch milliseconds. */
export function slackTs(epochMs: number): string {
  const micros = Math.floor(epochMs * 1000);
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Request signing v0: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed by the signing secret. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSec: number,
): { 'x-slack-signature': string; 'x-slack-request-timestamp': string } {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestampSec) };
}

// ---------------------------------------------------------------- Events API

export interface EventCallbackOptions {
  teamId: string;
  apiAppId?: string;
  eventId?: string;
  /** Epoch seconds; defaults to the event's own `event_ts`/`ts`, else `nowMs`. */
  eventTime?: number;
  /** The installation's bot user, reported in `authorizations` (Bolt reads it as `context.botUserId`). */
  botUserId?: string;
  token?: string;
  nowMs?: number;
}

export interface EventCallbackBody {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown>;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: Array<{
    enterprise_id: string | null;
    team_id: string;
    user_id: string;
    is_bot: boolean;
    is_enterprise_install: boolean;
  }>;
  is_ext_shared_channel: boolean;
  event_context: string;
}

function eventTimeOf(event: Record<string, unknown>, nowMs: number): number {
  const ts = event.event_ts ?? event.ts;
  const parsed = typeof ts === 'string' ? Number.parseFloat(ts) : Number.NaN;
  return Number.isFinite(parsed) ? Math.floor(parsed) : Math.floor(nowMs / 1000);
}

/** The JSON body Slack POSTs to the Events API request URL (and wraps in a Socket Mode envelope). */
export function eventCallbackBody(event: object, opts: EventCallbackOptions): EventCallbackBody {
  const ev = { ...(event as Record<string, unknown>) };
  const apiAppId = opts.apiAppId ?? SANDBOX_IDS.apiAppId;
  // event_context is opaque to apps; Slack's is "4-" + base64 of a small JSON, so we mimic that.
  const context = { et: ev.type, tid: opts.teamId, aid: apiAppId, cid: ev.channel };
  return {
    token: opts.token ?? SANDBOX_IDS.verificationToken,
    team_id: opts.teamId,
    api_app_id: apiAppId,
    event: ev,
    type: 'event_callback',
    event_id: opts.eventId ?? newId('Ev'),
    event_time: opts.eventTime ?? eventTimeOf(ev, opts.nowMs ?? Date.now()),
    authorizations: [
      {
        enterprise_id: null,
        team_id: opts.teamId,
        user_id: opts.botUserId ?? SANDBOX_IDS.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify(context)).toString('base64url')}`,
  };
}

// ---------------------------------------------------------------- slash commands

export interface SlashCommandInput {
  command: string;
  text: string;
  user_id: string;
  channel_id: string;
  team_id?: string;
  team_domain?: string;
  channel_name?: string;
  user_name?: string;
  api_app_id?: string;
  response_url?: string;
  trigger_id?: string;
  token?: string;
  [extra: string]: string | undefined;
}

/** Every value is a string: slash commands arrive form-encoded, and Socket Mode keeps the same strings. */
export interface SlashCommandPayload extends SlashCommandInput {
  token: string;
  team_id: string;
  team_domain: string;
  channel_name: string;
  user_name: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

/** The complete field set of a slash command, in the order Slack sends it. */
export function slashCommandPayload(fields: SlashCommandInput): SlashCommandPayload {
  const teamId = fields.team_id ?? SANDBOX_IDS.teamId;
  const base: SlashCommandPayload = {
    token: fields.token ?? SANDBOX_IDS.verificationToken,
    team_id: teamId,
    team_domain: fields.team_domain ?? SANDBOX_IDS.teamDomain,
    channel_id: fields.channel_id,
    channel_name:
      fields.channel_name ?? (fields.channel_id.startsWith('D') ? 'directmessage' : fields.channel_id),
    user_id: fields.user_id,
    user_name: fields.user_name ?? fields.user_id,
    command: fields.command,
    text: fields.text,
    api_app_id: fields.api_app_id ?? SANDBOX_IDS.apiAppId,
    is_enterprise_install: 'false',
    response_url: fields.response_url ?? newResponseUrl('commands', teamId),
    trigger_id: fields.trigger_id ?? newTriggerId(),
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && !(key in base)) base[key] = value;
  }
  return base;
}

/** The x-www-form-urlencoded body Slack POSTs for a slash command. */
export function slashCommandForm(fields: SlashCommandInput): string {
  const entries = Object.entries(slashCommandPayload(fields)).filter(
    (entry): entry is [string, string] => entry[1] !== undefined,
  );
  return new URLSearchParams(entries).toString();
}

// ---------------------------------------------------------------- interactivity

/** Interactive payloads arrive as one form field, `payload`, holding JSON. */
export function interactivePayloadForm(payload: object): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** The fields of a posted message that a block_actions payload echoes back. */
export interface WireMessage {
  ts: string;
  text?: string;
  blocks?: unknown[];
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  [field: string]: unknown;
}

export interface FoundAction {
  blockId: string | undefined;
  element: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Finds an interactive element (in `actions` blocks or a section's accessory) by a predicate. */
export function findBlockAction(
  blocks: unknown[] | undefined,
  match: (element: Record<string, unknown>) => boolean,
): FoundAction | undefined {
  for (const block of blocks ?? []) {
    if (!isRecord(block)) continue;
    const candidates = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    for (const element of candidates) {
      if (isRecord(element) && typeof element.action_id === 'string' && match(element)) {
        return { blockId: typeof block.block_id === 'string' ? block.block_id : undefined, element };
      }
    }
  }
  return undefined;
}

export interface BlockActionsInput {
  user: string | { id: string; name?: string };
  channel: string | { id: string; name?: string };
  message: WireMessage;
  actionId: string;
  value?: string;
  blockId?: string;
  teamId: string;
  teamDomain?: string;
  apiAppId?: string;
  token?: string;
  triggerId?: string;
  responseUrl?: string;
  nowMs?: number;
}

/**
 * A block_actions payload for a button click on a posted message. The element, its block_id and its
 * text are looked up in the message's blocks, as Slack would echo them; `value`/`blockId` override.
 */
export function blockActionsPayload(input: BlockActionsInput): Record<string, unknown> {
  const user = typeof input.user === 'string' ? { id: input.user } : input.user;
  const channel = typeof input.channel === 'string' ? { id: input.channel } : input.channel;
  const found = findBlockAction(input.message.blocks, (el) => el.action_id === input.actionId);
  const element = found?.element ?? {};
  const action: Record<string, unknown> = {
    action_id: input.actionId,
    block_id: input.blockId ?? found?.blockId ?? newId('', 5),
    text: element.text ?? { type: 'plain_text', text: input.actionId, emoji: true },
    value: input.value ?? element.value,
    type: element.type ?? 'button',
    action_ts: slackTs(input.nowMs ?? Date.now()),
  };
  if (element.style !== undefined) action.style = element.style;
  // Menus (overflow, selects) send the chosen option, not a value.
  if (Array.isArray(element.options)) {
    const options = element.options as Array<{ value?: string }>;
    action.selected_option = options.find((o) => o.value === input.value) ?? {
      text: { type: 'plain_text', text: String(input.value) },
      value: input.value,
    };
    delete action.value;
    delete action.text;
  }
  const container: Record<string, unknown> = {
    type: 'message',
    message_ts: input.message.ts,
    channel_id: channel.id,
    is_ephemeral: false,
  };
  if (input.message.thread_ts !== undefined) container.thread_ts = input.message.thread_ts;
  return {
    type: 'block_actions',
    user: { id: user.id, username: user.name ?? user.id, name: user.name ?? user.id, team_id: input.teamId },
    api_app_id: input.apiAppId ?? SANDBOX_IDS.apiAppId,
    token: input.token ?? SANDBOX_IDS.verificationToken,
    container,
    trigger_id: input.triggerId ?? newTriggerId(),
    team: { id: input.teamId, domain: input.teamDomain ?? SANDBOX_IDS.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel.id, name: channel.name ?? channel.id },
    message: { type: 'message', ...input.message },
    state: { values: {} },
    response_url: input.responseUrl ?? newResponseUrl('actions', input.teamId),
    actions: [action],
  };
}

// ---------------------------------------------------------------- view submissions

export interface ViewSubmissionInput {
  user: string;
  teamId: string;
  /** The view as the app opened it (id, callback_id, private_metadata, blocks…). */
  view: { id: string; callback_id: string; private_metadata?: string; hash?: string; blocks?: unknown };
  /** What the person entered: block_id → action_id → text (plain_text_input) or ticked values (checkboxes). */
  values: Record<string, Record<string, string | string[]>>;
  apiAppId?: string;
  triggerId?: string;
}

/** The view_submission payload Slack sends when someone submits a modal. */
export function viewSubmissionPayload(input: ViewSubmissionInput): Record<string, unknown> {
  const values: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [blockId, actions] of Object.entries(input.values)) {
    const block: Record<string, Record<string, unknown>> = {};
    values[blockId] = block;
    for (const [actionId, value] of Object.entries(actions)) {
      block[actionId] = Array.isArray(value)
        ? {
            type: 'checkboxes',
            selected_options: value.map((v) => ({ text: { type: 'plain_text', text: v }, value: v })),
          }
        : { type: 'plain_text_input', value };
    }
  }
  return {
    type: 'view_submission',
    team: { id: input.teamId, domain: SANDBOX_IDS.teamDomain },
    user: { id: input.user, username: input.user, name: input.user, team_id: input.teamId },
    api_app_id: input.apiAppId ?? SANDBOX_IDS.apiAppId,
    token: SANDBOX_IDS.verificationToken,
    trigger_id: input.triggerId ?? newTriggerId(),
    view: {
      id: input.view.id,
      team_id: input.teamId,
      type: 'modal',
      callback_id: input.view.callback_id,
      private_metadata: input.view.private_metadata ?? '',
      hash: input.view.hash ?? '',
      blocks: input.view.blocks ?? [],
      state: { values },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

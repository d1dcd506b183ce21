// response_url endpoints. Slack mints one per slash command / interaction; Bolt's `respond()` POSTs
// JSON to it. Ours point at the stand-in, so the bot stays on loopback and its replies are recorded
// and applied like Slack does (replace_original / delete_original / in_channel).
import { newResponseUrl } from '../slack-wire.js';
import type { ApiResult } from './methods/common.js';
import type { WorkspaceState } from './state.js';
import type { StoredMessage } from './types.js';

interface Target {
  channel: string;
  /** The message an interaction came from; absent for slash commands. */
  messageTs?: string;
}

export class ResponseUrls {
  readonly #targets = new Map<string, Target>();

  constructor(
    private readonly state: WorkspaceState,
    private readonly baseUrl: () => string,
  ) {}

  mint(kind: 'commands' | 'actions', target: Target): string {
    const url = newResponseUrl(kind, this.state.identity.teamId, `${this.baseUrl()}hooks`);
    this.#targets.set(new URL(url).pathname, target);
    return url;
  }

  /** Applies a response_url POST; the caller records it as a `response_url` call. */
  handle(pathname: string, body: Record<string, unknown>): { status: number; result: ApiResult } {
    const target = this.#targets.get(pathname);
    if (!target) return { status: 404, result: { ok: false, error: 'no_service' } };
    const original =
      target.messageTs === undefined ? undefined : this.state.findMessage(target.channel, target.messageTs);
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original) original.deleted = true;
      return { status: 200, result: { ok: true } };
    }
    if ((body.replace_original === true || body.replace_original === 'true') && original) {
      this.#replace(original, body);
      return { status: 200, result: { ok: true } };
    }
    if (body.response_type === 'in_channel') this.#post(target.channel, body);
    // Ephemeral responses (the default) are only visible to the clicking user: nothing to store.
    return { status: 200, result: { ok: true } };
  }

  #replace(message: StoredMessage, body: Record<string, unknown>): void {
    message.text = typeof body.text === 'string' ? body.text : message.text;
    message.blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    message.attachments = Array.isArray(body.attachments) ? body.attachments : undefined;
    message.edited_ts = this.state.nextTs();
    const { text, blocks, attachments } = message;
    message.history.push({ at: this.state.now(), text, blocks, attachments });
  }

  #post(channel: string, body: Record<string, unknown>): void {
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const attachments = Array.isArray(body.attachments) ? body.attachments : undefined;
    this.state.addMessage({
      channel,
      ts: this.state.nextTs(),
      user: this.state.identity.botUserId,
      bot_id: this.state.identity.botId,
      text,
      blocks,
      attachments,
      history: [{ at: this.state.now(), text, blocks, attachments }],
      deleted: false,
    });
  }
}

// Decoding Web API requests as Slack does: form-encoded (what WebClient sends, with object arguments
// JSON-encoded into strings) or JSON, with the token in `Authorization: Bearer` or a `token` field.
import type { IncomingMessage } from 'node:http';
import { readBody as readLimitedBody } from '../../src/http/read-body.js';

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Arguments Slack documents as "JSON-based … presented as a URL-encoded string". */
const JSON_ARGS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
  'files', // files.completeUploadExternal: [{"id":"F…","title":"…"}]
]);

export interface DecodedRequest {
  token: string | undefined;
  /** Without the token. */
  args: Record<string, unknown>;
  /** Set when the body could not be parsed at all; Slack answers `invalid_form_data`/`invalid_json`. */
  parseError?: 'invalid_form_data' | 'invalid_json';
}

/** The request body as text, refused past `limit` bytes (the bot's own reader, one implementation). */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> {
  return (await readLimitedBody(req, limit)).toString('utf8');
}

function decodeJsonArgs(args: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(args)) {
    if (!JSON_ARGS.has(key) || typeof value !== 'string') continue;
    try {
      args[key] = JSON.parse(value);
    } catch {
      // Left as the raw string on purpose: the method then rejects it (e.g. `invalid_blocks`), as Slack would.
    }
  }
}

function parseArgs(contentType: string, raw: string, query: URLSearchParams): DecodedRequest {
  const args: Record<string, unknown> = Object.fromEntries(query);
  if (raw.trim() !== '') {
    if (contentType.includes('application/json')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new Error('not an object');
        Object.assign(args, parsed);
      } catch {
        return { token: undefined, args: { raw }, parseError: 'invalid_json' };
      }
    } else if (contentType === '' || contentType.includes('application/x-www-form-urlencoded')) {
      Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
    } else {
      // multipart (the legacy files.upload) is outside what the bot uses; say so instead of guessing.
      // Bytes for files.uploadV2 go to the upload URL instead (uploads.ts).
      return { token: undefined, args: { content_type: contentType }, parseError: 'invalid_form_data' };
    }
  }
  decodeJsonArgs(args);
  return { token: undefined, args };
}

export async function decodeRequest(req: IncomingMessage, url: URL): Promise<DecodedRequest> {
  const raw = await readBody(req);
  const decoded = parseArgs(String(req.headers['content-type'] ?? '').toLowerCase(), raw, url.searchParams);
  const bodyToken = decoded.args.token;
  delete decoded.args.token;
  const bearer = /^Bearer\s+(\S+)/i.exec(String(req.headers.authorization ?? ''))?.[1];
  decoded.token = bearer ?? (typeof bodyToken === 'string' && bodyToken !== '' ? bodyToken : undefined);
  return decoded;
}

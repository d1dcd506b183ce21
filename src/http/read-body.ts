import type { IncomingMessage } from 'node:http';
import { parseBoundedJson } from './bounded-json.js';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body is larger than ${limit} bytes`);
  }
}

/** Reads a request body up to `limit` bytes; stops reading (and rejects) as soon as it is exceeded. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413; reason: string };

/**
 * Reads a JSON body for a webhook: 413 past `limit` bytes, 400 when it is not JSON or nests
 * deeper than MAX_JSON_DEPTH (see bounded-json.ts). Never throws for anything the sender did.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<JsonBody> {
  let raw: Buffer;
  try {
    raw = await readBody(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return { ok: false, status: 413, reason: error.message };
    throw error;
  }
  const parsed = parseBoundedJson(raw.toString('utf8'));
  return parsed.ok ? parsed : { ok: false, status: 400, reason: parsed.reason };
}

import type { IncomingMessage } from 'node:http';
import { parseBoundedJson } from './bounded-json.js';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body is larger than ${limit} bytes`);
  }
}

/**
 * Reads a request body up to `limit` bytes; stops reading (and rejects) as soon as it is exceeded.
 * Plain 'data'/'end' listeners rather than `for await`: the async iterator costs a promise per
 * chunk, which is most of the read on the webhook hot path.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new BodyTooLargeError(limit));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: unknown) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', done);
      req.off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // The rest of the upload is read and dropped, so the 413 can still be written.
        req.resume();
        done(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done();
    const onClose = () => done(new Error('the request was closed before its body arrived'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', done);
    req.on('close', onClose);
  });
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

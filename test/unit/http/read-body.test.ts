// The body reader every door uses: whole bodies in any number of chunks, and a refusal as soon
// as a body without Content-Length grows past the limit, after which the 413 still gets out.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBody } from '../../../src/http/read-body.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(limit: number): Promise<number> {
  const s = createServer((req, res) => {
    readBody(req, limit).then(
      (body) => res.writeHead(200).end(`read ${body.length}`),
      (error) => res.writeHead(error instanceof BodyTooLargeError ? 413 : 500).end(String(error.message)),
    );
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return (s.address() as AddressInfo).port;
}

/** POSTs `chunks` one write each, chunked (no Content-Length), and reads the answer. */
function post(port: number, chunks: string[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/' }, (res) => {
      let text = '';
      res.on('data', (c) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('readBody', () => {
  it('reads a body sent in many chunks, whole', async () => {
    const port = await serve(1000);
    const chunks = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(40, 'x'));
    expect(await post(port, chunks)).toEqual({ status: 200, text: 'read 800' });
  });

  it('refuses a chunked body once it passes the limit, and the answer still arrives', async () => {
    const port = await serve(1000);
    const chunks = Array.from({ length: 50 }, () => 'y'.repeat(100));
    expect(await post(port, chunks)).toEqual({ status: 413, text: 'body is larger than 1000 bytes' });
  });
});

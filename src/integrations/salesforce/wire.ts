// One HTTP exchange with Salesforce, giving back status, headers and body as they came.
//
// Why not jsforce's Connection#request / OAuth2#requestToken: they drop the status code and the
// Retry-After header (needed for created-vs-updated and back-off), retry GETs on 5xx inside one
// call for up to ~15 s, and their bundled undici escapes nock's delay/replyWithError (the latter
// even fell through to a real DNS lookup despite disableNetConnect). Node's fetch is covered by
// the test suite's network guard, and retrying stays the job scheduler's decision.

export type WireMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface WireRequest {
  method: WireMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireResponse {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
}

/** No HTTP answer at all: the request timed out or never reached Salesforce. */
export class WireError extends Error {
  override readonly name = 'WireError';
  constructor(
    readonly kind: 'timeout' | 'network',
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
  }
}

export type Send = (request: WireRequest) => Promise<WireResponse>;

/** Each exchange — headers and body — must finish within `timeoutMs`. */
export function fetchSend(timeoutMs: number): Send {
  return async (request) => {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    // Our own timer (not only the signal) so a transport that ignores aborts still cannot hang us.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new WireError('timeout', `no answer within ${timeoutMs} ms`));
        abort.abort();
      }, timeoutMs);
    });
    const exchange = (async (): Promise<WireResponse> => {
      const res = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        redirect: 'manual', // a redirect means a wrong URL setting; say so instead of following it
        signal: abort.signal,
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: res.status, headers, body: await res.text() };
    })();
    exchange.catch(() => undefined); // the loser of the race must not become an unhandled rejection
    try {
      return await Promise.race([exchange, timeout]);
    } catch (error) {
      if (error instanceof WireError) throw error;
      if (abort.signal.aborted)
        throw new WireError('timeout', `no answer within ${timeoutMs} ms`, { cause: error });
      throw new WireError('network', networkReason(error), { cause: error });
    } finally {
      clearTimeout(timer);
    }
  };
}

/** "fetch failed" says nothing; the cause chain holds ECONNREFUSED, ENOTFOUND and friends. */
function networkReason(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    parts.push(code ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface Route {
  method: 'GET' | 'POST';
  /** Exact path, or a prefix ending in '/*'. */
  path: string;
  /** `path`: the request's pathname, already parsed by the server (so a handler need not). */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> | void;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function matches(route: Route, path: string): boolean {
  return route.path.endsWith('/*') ? path.startsWith(route.path.slice(0, -1)) : route.path === path;
}

/**
 * The one HTTP listener on PORT, in both Slack modes: health, readiness, webhooks and (in HTTP
 * mode) Slack's /slack/events. It tracks open requests so shutdown can wait for them.
 */
export class HttpServer {
  private readonly server: Server;
  private readonly inFlight = new Set<Promise<void>>();
  private accepting = true;

  constructor(
    private readonly routes: Route[],
    private readonly logger: Logger,
  ) {
    this.server = createServer((req, res) => {
      const work = this.dispatch(req, res).catch((error) => {
        this.logger.error({ err: error, path: req.url }, 'HTTP handler failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.end();
      });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    // Slack expects an answer within 3 s; a slow client must not hold a socket for minutes.
    this.server.requestTimeout = 30_000;
    this.server.headersTimeout = 10_000;
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting connections, lets open requests finish, then closes idle sockets. */
  async close(): Promise<void> {
    this.accepting = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await Promise.allSettled([...this.inFlight]);
    this.server.closeIdleConnections();
    await closed;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.accepting) {
      res.setHeader('connection', 'close');
      return sendJson(res, 503, { error: 'shutting down' });
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const candidates = this.routes.filter((r) => matches(r, path));
    if (candidates.length === 0) return sendJson(res, 404, { error: `no route for ${path}` });
    const route = candidates.find(
      (r) => r.method === req.method || (r.method === 'GET' && req.method === 'HEAD'),
    );
    if (!route) {
      res.setHeader('allow', [...new Set(candidates.map((r) => r.method))].join(', '));
      return sendJson(res, 405, { error: `${req.method} not allowed on ${path}` });
    }
    await route.handle(req, res, path);
  }
}

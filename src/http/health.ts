import type { Route } from './server.js';
import { sendJson } from './server.js';

export type ReadinessCheck = () => boolean;

/** /healthz: the process answers. /readyz: every dependency we need to do our job is up. */
export function healthRoutes(checks: Record<string, ReadinessCheck>): Route[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: (_req, res) => {
        const results = Object.fromEntries(
          Object.entries(checks).map(([name, check]) => {
            try {
              return [name, check()];
            } catch {
              return [name, false];
            }
          }),
        );
        const ready = Object.values(results).every(Boolean);
        sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: results });
      },
    },
  ];
}

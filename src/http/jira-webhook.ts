// POST /webhooks/jira: Jira tells us an escalation issue changed. Authenticated with a shared
// secret: Jira's `X-Hub-Signature: sha256=<hmac of the body>` (webhooks with a secret), or
// `?secret=` on the URL for Jira versions that cannot sign. Status changes go to the thread.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { parseJiraWebhook } from '../integrations/jira/webhook.js';
import type { EscalationService } from '../services/integrations/escalation-service.js';
import { parseBoundedJson } from './bounded-json.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { type Route, sendJson } from './server.js';

export function jiraWebhookRoute(deps: {
  secret: string | undefined;
  escalations: EscalationService;
  bodyLimitBytes: number;
  logger: Logger;
}): Route {
  return {
    method: 'POST',
    path: '/webhooks/jira',
    handle: async (req, res) => {
      if (!deps.secret) return sendJson(res, 401, { error: 'JIRA_WEBHOOK_SECRET is not configured' });
      let raw: Buffer;
      try {
        raw = await readBody(req, deps.bodyLimitBytes);
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          res.setHeader('connection', 'close'); // the rest of the upload is not read
          return sendJson(res, 413, { error: error.message });
        }
        throw error;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const signature = String(req.headers['x-hub-signature'] ?? '');
      const signed = signature.startsWith('sha256=')
        ? same(signature.slice(7), createHmac('sha256', deps.secret).update(raw).digest('hex'))
        : false;
      const shared = same(url.searchParams.get('secret') ?? '', deps.secret);
      if (!signed && !shared) {
        deps.logger.warn({ ip: req.socket.remoteAddress }, 'Jira webhook with a missing or wrong secret');
        return sendJson(res, 401, { error: 'missing or wrong webhook secret' });
      }
      const body = parseBoundedJson(raw.toString('utf8'));
      if (!body.ok) return sendJson(res, 400, { error: body.reason });
      const parsed = parseJiraWebhook(body.value);
      if (!parsed.ok) return sendJson(res, 400, { error: parsed.reason });
      const { event } = parsed;
      const known =
        event.kind === 'status' && event.status
          ? deps.escalations.statusChanged(event.issueKey, event.status, event.changedBy, true)
          : false;
      sendJson(res, 200, { received: event.kind, issue: event.issueKey, linked: known });
    },
  };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// Alarm webhooks: POST /webhooks/alertmanager/:tenant and POST /webhooks/vms/:tenant.
// Each request is authenticated with the tenant's bearer token, size- and depth-limited, parsed, and
// answered 202 only after every alarm in it is stored (or recognised as already stored). Triage
// follows within a second (TriageQueue), as Alertmanager's own API accepts first and groups later.
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { TenantConfig } from '../config/schema.js';
import { parseAlertmanagerWebhook, parseVmsWebhook } from '../domain/alarms/parsers/index.js';
import type { ParsedAlarm } from '../domain/alarms/types.js';
import type { TenantDirectory } from '../services/tenant-directory.js';
import type { AcceptOutcome } from '../services/triage/intake.js';
import type { TriageQueue } from '../services/triage/triage-queue.js';
import { readJsonBody } from './read-body.js';
import { type Route, sendJson } from './server.js';

export interface WebhookDeps {
  tenants: TenantDirectory;
  triage: Pick<TriageQueue, 'accept'>;
  tokens: Record<string, string>;
  bodyLimitBytes: number;
  logger: Logger;
}

interface Item {
  dedupeKey: string;
  raw: unknown;
  parsed: ParsedAlarm;
  omittedSiblings?: number;
}

type Parse = (
  body: unknown,
  tenant: TenantConfig,
) => { ok: true; items: Item[] } | { ok: false; reason: string };

const parseAlertmanager: Parse = (body) => {
  const result = parseAlertmanagerWebhook(body);
  if (!result.ok) return result;
  const alerts = (body as { alerts: unknown[] }).alerts;
  return {
    ok: true,
    items: result.alerts.map((parsed, i) => ({
      // Alertmanager re-sends the same alerts every group_interval: same key, no new alarm.
      dedupeKey: `am:${parsed.fingerprint ?? hashOf(parsed.labels)}:${parsed.startsAt ?? ''}:${parsed.status}`,
      raw: alerts[i],
      parsed,
      omittedSiblings: result.truncatedAlerts,
    })),
  };
};

const parseVms: Parse = (body, tenant) => {
  const result = parseVmsWebhook(body, tenant.alarms.vmsWebhook);
  if (!result.ok) return result;
  return { ok: true, items: [{ dedupeKey: `vms:${hashOf(body)}`, raw: body, parsed: result.alarm }] };
};

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export function webhookRoutes(deps: WebhookDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/webhooks/alertmanager/*',
      handle: (req, res, path) => handle(deps, 'alertmanager', parseAlertmanager, req, res, path),
    },
    {
      method: 'POST',
      path: '/webhooks/vms/*',
      handle: (req, res, path) => handle(deps, 'vms', parseVms, req, res, path),
    },
  ];
}

async function handle(
  deps: WebhookDeps,
  source: 'alertmanager' | 'vms',
  parse: Parse,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const requestId = randomUUID();
  res.setHeader('x-request-id', requestId);
  const tenantId = decodeURIComponent(path.split('/')[3] ?? '');
  const tenant = deps.tenants.tenant(tenantId);
  if (!tenant) return sendJson(res, 404, { error: `unknown tenant '${tenantId.slice(0, 40)}'` });

  const expected = deps.tokens[tenant.id];
  if (!expected) {
    return sendJson(res, 401, {
      error: `no webhook token is configured for tenant '${tenant.id}' (set WEBHOOK_TOKENS)`,
    });
  }
  if (!bearerMatches(req.headers.authorization, expected)) {
    deps.logger.warn(
      { tenant: tenant.id, source, ip: req.socket.remoteAddress },
      'webhook with a missing or wrong token',
    );
    return sendJson(res, 401, { error: 'missing or wrong bearer token' });
  }

  // 413 past the size limit, 400 when not JSON or nested past MAX_JSON_DEPTH: a hostile or
  // broken body is the sender's problem to fix, never a 500 it would retry forever.
  const body = await readJsonBody(req, deps.bodyLimitBytes);
  if (!body.ok) {
    // Past the limit the rest of the upload is not read: close, or the socket lingers for it.
    if (body.status === 413) res.setHeader('connection', 'close');
    return sendJson(res, body.status, { error: body.reason });
  }

  const parsed = parse(body.value, tenant);
  if (!parsed.ok) return sendJson(res, 400, { error: parsed.reason });

  // 202 only once every alarm of the request is committed (with others of this tick: group commit).
  const outcomes = await deps.triage.accept(
    parsed.items.map((item) => ({
      tenant,
      source,
      dedupeKey: item.dedupeKey,
      origin: requestId,
      raw: item.raw,
      parsed: item.parsed,
      ...(item.omittedSiblings ? { omittedSiblings: item.omittedSiblings } : {}),
    })),
  );
  sendJson(res, 202, summarize(outcomes));
}

function bearerMatches(header: string | undefined, expected: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1] as string);
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

function summarize(outcomes: AcceptOutcome[]) {
  const duplicates = outcomes.filter((o) => o === 'duplicate').length;
  return { accepted: outcomes.length - duplicates, duplicates };
}

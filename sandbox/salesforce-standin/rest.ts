// Routing of /services/data/vXX.X/… to the org, with Salesforce's session check and error
// answers for bad versions, bodies and paths.
import { type ApiResult, apiError, type StandInOrg } from './org.js';

export interface RestRequest {
  method: string;
  url: URL;
  authorization: string | undefined;
  rawBody: string;
}

export interface RestContext {
  org: StandInOrg;
  apiVersion: string;
  isValidToken: (token: string) => boolean;
}

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function handleRest(req: RestRequest, ctx: RestContext): ApiResult {
  const match = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(req.url.pathname);
  if (!match || match[1] !== ctx.apiVersion) {
    return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  const token = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '')?.[1];
  if (!token || !ctx.isValidToken(token)) {
    return apiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  }

  let segments: string[];
  try {
    segments = (match[2] ?? '/').split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return apiError(400, 'MALFORMED_URL', 'The URL could not be decoded');
  }

  let body: Record<string, unknown> = {};
  if (req.method === 'POST' || req.method === 'PATCH') {
    try {
      const parsed: unknown = JSON.parse(req.rawBody);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      return apiError(400, 'JSON_PARSER_ERROR', 'Unexpected character: the body is not a JSON object');
    }
  }

  const { org } = ctx;
  const [resource, object, first, second, ...more] = segments;
  if (resource === 'query' && object === undefined) {
    if (req.method !== 'GET') return methodNotAllowed(req.method, 'GET,HEAD');
    const q = req.url.searchParams.get('q');
    if (!q) return apiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    return org.query(q);
  }
  if (resource !== 'sobjects' || more.length > 0)
    return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');

  if (object === 'CaseComment' && first === undefined) {
    return req.method === 'POST' ? org.addComment(body) : methodNotAllowed(req.method, 'GET,HEAD,POST');
  }
  if (object !== 'Case' || first === undefined) {
    return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  }
  const fields = req.url.searchParams.get('fields');
  if (second === undefined) {
    // /sobjects/Case/<id>
    if (!ID.test(first))
      return apiError(
        404,
        'NOT_FOUND',
        `Provided external ID field does not exist or is not accessible: ${first}`,
      );
    if (req.method === 'GET') return org.readCase({ id: first }, fields);
    if (req.method === 'PATCH') return org.updateCase(first, body);
    return methodNotAllowed(req.method, 'GET,HEAD,PATCH,DELETE');
  }
  // /sobjects/Case/<externalIdField>/<value>
  if (req.method === 'GET') return org.readCase({ field: first, value: second }, fields);
  if (req.method === 'PATCH') return org.upsertByExternalId(first, second, body);
  return methodNotAllowed(req.method, 'GET,HEAD,PATCH,DELETE');
}

function methodNotAllowed(method: string, allowed: string): ApiResult {
  return apiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are ${allowed}`);
}

// HTTP side of the stand-in: `POST /api/<method>` (the Web API), `POST /hooks/…` (response_urls) and
// `POST /upload/v1/<file id>` (the upload URLs files.getUploadURLExternal hands out).
// Order per call mirrors Slack's edge: injected fault → unknown method → token → method. Every call is
// recorded before it is answered, so a test that awaited the client's promise always sees it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithFault, type FaultPlan } from './faults.js';
import { decodeRequest, readBody } from './http-body.js';
import { chatMethods } from './methods/chat.js';
import { type ApiResult, fail, type MethodHandler } from './methods/common.js';
import { directoryMethods } from './methods/directory.js';
import { fileMethods } from './methods/files.js';
import { viewMethods } from './methods/views.js';
import type { CallRecorder } from './recorder.js';
import type { ResponseUrls } from './response-urls.js';
import type { WorkspaceState } from './state.js';
import { handleUpload, UPLOAD_PATH } from './uploads.js';

export interface WebApiDeps {
  state: WorkspaceState;
  recorder: CallRecorder;
  faults: FaultPlan;
  responseUrls: ResponseUrls;
  botToken: string;
  appToken: string;
  issueSocketUrl: () => string;
  /** The absolute upload URL for a file id (the stand-in's own `/upload/v1/…`). */
  uploadUrlFor: (fileId: string) => string;
}

const METHODS: Record<string, MethodHandler> = {
  ...chatMethods,
  ...directoryMethods,
  ...fileMethods,
  ...viewMethods,
  'apps.connections.open': ({ issueSocketUrl }) => ({ ok: true, url: issueSocketUrl() }),
};

/** Methods that take the app-level token (xapp-); every other one takes the bot token (xoxb-). */
const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

export const RESPONSE_URL_METHOD = 'response_url';

function authError(deps: WebApiDeps, method: string, token: string | undefined): string | undefined {
  if (token === undefined) return 'not_authed';
  const expected = APP_TOKEN_METHODS.has(method) ? deps.appToken : deps.botToken;
  if (token === expected) return undefined;
  if (token === deps.botToken || token === deps.appToken) return 'not_allowed_token_type';
  return 'invalid_auth';
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers).end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(body));
}

/** Answers with a planned fault, if one is due for `method` before it runs; returns whether it did. */
function injectFault(
  deps: WebApiDeps,
  method: string,
  args: Record<string, unknown>,
  at: number,
  res: ServerResponse,
): boolean {
  const fault = deps.faults.take(method);
  if (!fault) return false;
  if (fault.afterHandling) throw new Error(`afterHandling faults are not supported for ${method}`);
  answerWithFault(deps, fault, { method, args, at }, res);
  return true;
}

async function handleApi(
  deps: WebApiDeps,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  const decoded = await decodeRequest(req, url);
  const at = deps.state.now();
  const fault = deps.faults.take(method);
  if (fault && !fault.afterHandling)
    return answerWithFault(deps, fault, { method, args: decoded.args, at }, res);
  const handler = METHODS[method];
  let result: ApiResult;
  if (decoded.parseError) result = fail(decoded.parseError);
  else if (!handler) result = fail('unknown_method');
  else {
    const denied = authError(deps, method, decoded.token);
    result = denied
      ? fail(denied)
      : handler({
          args: decoded.args,
          state: deps.state,
          issueSocketUrl: deps.issueSocketUrl,
          uploadUrlFor: deps.uploadUrlFor,
        });
  }
  // The work is done; only the answer goes missing on its way back.
  if (fault) return answerWithFault(deps, fault, { method, args: decoded.args, at }, res);
  // Slack answers API errors with HTTP 200 and ok:false; only rate limits and outages change the status.
  deps.recorder.record({ method, args: decoded.args, at, ok: result.ok, error: result.error, status: 200 });
  sendJson(res, 200, result);
}

async function handleResponseUrl(deps: WebApiDeps, req: IncomingMessage, res: ServerResponse, url: URL) {
  const raw = await readBody(req);
  const at = deps.state.now();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    deps.recorder.record({
      method: RESPONSE_URL_METHOD,
      args: { url: url.href, raw },
      at,
      ok: false,
      error: 'invalid_payload',
      status: 400,
    });
    send(res, 400, { 'content-type': 'text/plain' }, 'invalid_payload');
    return;
  }
  const args = { url: url.href, ...body };
  if (injectFault(deps, RESPONSE_URL_METHOD, args, at, res)) return;
  const { status, result } = deps.responseUrls.handle(url.pathname, body);
  deps.recorder.record({ method: RESPONSE_URL_METHOD, args, at, ok: result.ok, error: result.error, status });
  sendJson(res, status, result);
}

/** The `request` listener for the stand-in's HTTP server. */
export function webApiListener(deps: WebApiDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const apiMethod = /^\/api\/([\w.]+)$/.exec(url.pathname)?.[1];
    const work =
      apiMethod !== undefined && (req.method === 'POST' || req.method === 'GET')
        ? handleApi(deps, apiMethod, req, res, url)
        : url.pathname.startsWith('/hooks/') && req.method === 'POST'
          ? handleResponseUrl(deps, req, res, url)
          : url.pathname.startsWith(UPLOAD_PATH) && req.method === 'POST'
            ? handleUpload(deps, req, res, url)
            : Promise.resolve(sendJson(res, 404, { ok: false, error: 'not_found' }));
    work.catch((error: unknown) => {
      // A bug in the stand-in itself: make it loud in the client (5xx) and in the test log.
      console.error('slack stand-in: request failed', error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'standin_error' });
      else res.end();
    });
  };
}

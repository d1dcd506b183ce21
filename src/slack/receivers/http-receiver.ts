import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import {
  type App,
  type BufferedIncomingMessage,
  HTTPResponseAck,
  HTTPModuleFunctions as http,
  type Receiver,
  type ReceiverEvent,
  verifySlackRequest,
} from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { parseBoundedJson } from '../../http/bounded-json.js';
import { BodyTooLargeError, readBody } from '../../http/read-body.js';
import { slackLoggerFrom } from '../../logger.js';
import type { InboundGate } from '../inbound-gate.js';
import { slackPayloadProblem } from './payload-shape.js';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  clock: Clock;
  gate: InboundGate;
  logger: Logger;
  /** Largest body read; larger ones get 413 (default DEFAULT_SLACK_BODY_LIMIT, 1 MiB). */
  bodyLimitBytes?: number;
}

const MAX_SKEW_SEC = 5 * 60;
/**
 * Largest /slack/events body read when none is configured. Slack's own payloads stay far below
 * (a modal submission with every block is tens of KB); Bolt's default would be 4 MB.
 */
export const DEFAULT_SLACK_BODY_LIMIT = 1024 * 1024;

/**
 * HTTP transport for Slack (events, interactivity and slash commands on one path).
 * Bolt's own verifier checks the signature, with our Clock so tests and production agree on
 * "now"; the request is persisted through the InboundGate before Bolt acknowledges it.
 * The HTTP server itself belongs to src/http/server.ts, which also serves health and webhooks.
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | undefined;
  private readonly slackLogger;

  constructor(private readonly opts: SlackHttpReceiverOptions) {
    this.slackLogger = slackLoggerFrom(opts.logger, 'slack-http');
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { logger, clock, gate } = this.opts;
    const limit = this.opts.bodyLimitBytes ?? DEFAULT_SLACK_BODY_LIMIT;
    // The webhooks' size-limited reader (not Bolt's bufferIncomingMessage), so every door refuses
    // an oversized body the same way: early on Content-Length, a 413 with the limit, then close.
    let buffered: BufferedIncomingMessage;
    try {
      buffered = Object.assign(req, { rawBody: await readBody(req, limit) });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close'); // the rest of the upload is not read
        return reply(res, 413, error.message);
      }
      return reply(res, 400, `could not read the request body: ${(error as Error).message}`);
    }
    const rawBody = buffered.rawBody.toString('utf8');

    if (isSslCheck(req, rawBody)) return http.buildSSLCheckResponse(res);

    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    try {
      if (Math.floor(clock.now() / 1000) - timestamp < -MAX_SKEW_SEC)
        throw new Error('timestamp is in the future');
      verifySlackRequest({
        signingSecret: this.opts.signingSecret,
        body: rawBody,
        headers: {
          'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
          'x-slack-request-timestamp': timestamp,
        },
        nowMilliseconds: clock.now(),
      });
    } catch (error) {
      logger.warn(
        { reason: (error as Error).message, ip: req.socket.remoteAddress },
        'rejected unsigned or stale Slack request',
      );
      return reply(res, 401, 'invalid Slack signature or stale timestamp');
    }

    const parsed = parseSlackBody(rawBody, String(req.headers['content-type'] ?? ''));
    if (!parsed.ok) {
      logger.warn(
        { reason: parsed.reason, ip: req.socket.remoteAddress },
        'rejected a malformed Slack request',
      );
      return reply(res, 400, parsed.reason);
    }
    const body = parsed.body;
    if (body.type === 'url_verification') return http.buildUrlVerificationResponse(res, body);

    const retryNum = http.extractRetryNumFromHTTPRequest(req);
    const delivery = await gate.admitDurably(body, rawBody, 'http', retryNum);
    if (!delivery) {
      // Re-delivery of something we already hold: acknowledge it and do nothing else.
      res.setHeader('X-Slack-No-Retry', '1');
      return reply(res, 200, '');
    }

    const ack = new HTTPResponseAck({
      logger: this.slackLogger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum,
      retryReason: http.extractRetryReasonFromHTTPRequest(req),
      customProperties: {},
    };
    try {
      await gate.process(delivery, async () => {
        if (!this.app) throw new Error('receiver used before init');
        await this.app.processEvent(event);
      });
    } catch (error) {
      logger.error({ err: error, delivery: delivery.key }, 'Slack request processing failed');
      if (!res.headersSent) reply(res, 500, 'internal error');
    }
  }
}

/**
 * Bolt's parseHTTPRequestBody (JSON, or a form whose `payload` field is JSON, or a plain form for
 * slash commands), with the JSON depth bounded and the result's shape checked, so that nothing
 * malformed is stored or reaches Bolt (see payload-shape.ts).
 */
function parseSlackBody(
  rawBody: string,
  contentType: string,
): { ok: true; body: Record<string, unknown> } | { ok: false; reason: string } {
  let value: unknown;
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = parseQuery(rawBody);
    if (typeof form.payload === 'string') {
      const json = parseBoundedJson(form.payload);
      if (!json.ok) return { ok: false, reason: `payload: ${json.reason}` };
      value = json.value;
    } else {
      value = { ...form };
    }
  } else {
    const json = parseBoundedJson(rawBody);
    if (!json.ok) return json;
    value = json.value;
  }
  const problem = slackPayloadProblem(value);
  return problem ? { ok: false, reason: problem } : { ok: true, body: value as Record<string, unknown> };
}

function isSslCheck(req: IncomingMessage, rawBody: string): boolean {
  return (
    String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') &&
    new URLSearchParams(rawBody).get('ssl_check') === '1'
  );
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

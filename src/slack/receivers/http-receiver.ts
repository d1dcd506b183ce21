import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  HTTPResponseAck,
  HTTPModuleFunctions as http,
  type Receiver,
  type ReceiverEvent,
  verifySlackRequest,
} from '@slack/bolt';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock.js';
import { slackLoggerFrom } from '../../logger.js';
import type { InboundGate } from '../inbound-gate.js';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  clock: Clock;
  gate: InboundGate;
  logger: Logger;
  bodyLimitBytes?: number;
}

const MAX_SKEW_SEC = 5 * 60;

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
    let buffered: Awaited<ReturnType<typeof http.bufferIncomingMessage>>;
    try {
      buffered = await http.bufferIncomingMessage(req, this.opts.bodyLimitBytes ?? http.defaultBodyLimit);
    } catch (error) {
      const status = http.isRawBodyError(error) ? error.statusCode : 400;
      return reply(res, status, 'could not read the request body');
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

    let body: Record<string, unknown>;
    try {
      body = http.parseHTTPRequestBody(buffered);
    } catch {
      return reply(res, 400, 'body is neither JSON nor a Slack form payload');
    }
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

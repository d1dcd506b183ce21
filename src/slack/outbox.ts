import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Scheduler } from '../jobs/scheduler.js';
import type { Job } from '../store/job-store.js';
import { classifySlackError } from './web-api-errors.js';

export const SLACK_CALL = 'slack.call';

const SlackCallPayload = z.object({
  method: z.enum(['chat.postMessage', 'chat.update', 'chat.postEphemeral']),
  args: z.record(z.string(), z.unknown()),
});
export type SlackCallPayload = z.infer<typeof SlackCallPayload>;

/** One Slack Web API call, with failures translated into Retryable/Permanent errors. */
export type SlackCall = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * Wraps a WebClient for use inside jobs. The client must not retry on its own
 * (retries: 0, rejectRateLimitedCalls): the durable scheduler owns retries and back-off.
 */
export function slackCaller(client: WebClient): SlackCall {
  return async (method, args) => {
    try {
      return (await client.apiCall(method, args)) as unknown as Record<string, unknown>;
    } catch (error) {
      throw classifySlackError(method, error);
    }
  };
}

export interface ChatMessage {
  [extra: string]: unknown;
  channel: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

/** The port services use to talk in Slack; every write is a durable job (DESIGN.md §5). */
export interface ChatSender {
  post(message: ChatMessage, key: string): Job;
  update(message: ChatMessage & { ts: string }, key: string): Job;
  postEphemeral(message: ChatMessage & { user: string }, key: string): Job;
}

/**
 * Enqueues Slack Web API writes as jobs and executes them. Messages to one channel share a
 * lane, so a 429 or an outage delays them in order but never drops or reorders them.
 */
export class SlackOutbox implements ChatSender {
  constructor(private readonly scheduler: Scheduler) {}

  /** Registers the job handler; `call` must come from `slackCaller` (no retries of its own). */
  static register(scheduler: Scheduler, call: SlackCall): SlackOutbox {
    scheduler.register(
      SLACK_CALL,
      async ({ method, args }) => {
        const response = await call(method, args);
        // Keep what later steps need (the ts of a posted message), not the whole echo of the message.
        return { ts: response.ts, channel: response.channel, message_ts: response.message_ts };
      },
      SlackCallPayload,
    );
    return new SlackOutbox(scheduler);
  }

  post(message: ChatMessage, key: string): Job {
    return this.call('chat.postMessage', { unfurl_links: false, ...message }, key);
  }

  update(message: ChatMessage & { ts: string }, key: string): Job {
    return this.call('chat.update', message, key);
  }

  postEphemeral(message: ChatMessage & { user: string }, key: string): Job {
    return this.call('chat.postEphemeral', message, key);
  }

  private call(
    method: SlackCallPayload['method'],
    args: ChatMessage & { [extra: string]: unknown },
    key: string,
  ): Job {
    return this.scheduler.enqueue({
      kind: SLACK_CALL,
      payload: { method, args },
      key: `slack:${key}`,
      lane: `slack:${args.channel}`,
    }).job;
  }
}

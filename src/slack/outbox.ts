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

  /** `client` must not retry on its own (retries: 0, rejectRateLimitedCalls): the scheduler owns retries. */
  static register(scheduler: Scheduler, client: WebClient): SlackOutbox {
    scheduler.register(
      SLACK_CALL,
      async ({ method, args }) => {
        try {
          const response = (await client.apiCall(method, args)) as unknown as Record<string, unknown>;
          // Keep what later steps need (the ts of a posted card), not the whole echo of the message.
          return { ts: response.ts, channel: response.channel, message_ts: response.message_ts };
        } catch (error) {
          throw classifySlackError(method, error);
        }
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

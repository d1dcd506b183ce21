// Every Slack write is a durable job (DESIGN.md §2–3): the `slack.call` job kind executes one Web
// API call, and SlackChat — the Slack side of the services' ChatPort — renders structured
// messages to mrkdwn and enqueues them. Messages to one channel share a lane, so a 429 or an
// outage delays them in order but never drops or reorders them.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Message } from '../domain/message.js';
import { defineJob, type JobDefinition } from '../jobs/definition.js';
import { PermanentError } from '../jobs/errors.js';
import type { Scheduler } from '../jobs/scheduler.js';
import type { ChatPort, ChatTarget } from '../services/ports.js';
import { toMrkdwn } from './views/render-message.js';
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

/** Message metadata type that carries a bot message's idempotency key. */
export const MESSAGE_EVENT_TYPE = 'opsbot_message';

/**
 * The job that performs one queued Slack write; `call` must come from `slackCaller`.
 * A post that reached Slack just before a crash (or a lost answer) must not appear twice: every
 * post carries its key as message metadata, and a retried attempt first looks for that key in
 * the channel (or the thread) and adopts the message it finds.
 */
export function slackCallJob(call: SlackCall): JobDefinition<SlackCallPayload> {
  return defineJob({
    kind: SLACK_CALL,
    payload: SlackCallPayload,
    failure: { what: 'deliver a message to Slack' },
    run: async ({ method, args }, { job }) => {
      const key = (args.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key;
      if (method === 'chat.postMessage' && key && job.attempts > 1) {
        const earlier = await findPosted(
          call,
          String(args.channel),
          args.thread_ts as string | undefined,
          key,
        );
        if (earlier) return { ts: earlier, channel: args.channel, adopted: true };
      }
      const response = await call(method, args);
      // Keep what later steps need (the ts of a posted message), not the whole echo of the message.
      return { ts: response.ts, channel: response.channel, message_ts: response.message_ts };
    },
  });
}

/** Where a retried post looks for the message an earlier attempt may have left. */
export interface PostedLookup {
  channel: string;
  /** Look among this thread's replies instead of the channel's history. */
  threadTs?: string;
  /** Only messages at or after this Slack ts (history only). */
  oldest?: string;
}

/**
 * The ts of a message the bot posted with this metadata type whose payload `matches`, if Slack
 * still has it: the one mechanism behind "a retry never posts twice", for cards and messages.
 */
export async function findPostedMessage(
  call: SlackCall,
  where: PostedLookup,
  eventType: string,
  matches: (payload: Record<string, unknown>) => boolean,
): Promise<string | undefined> {
  const found = where.threadTs
    ? await call('conversations.replies', {
        channel: where.channel,
        ts: where.threadTs,
        include_all_metadata: true,
        limit: 200,
      })
    : await call('conversations.history', {
        channel: where.channel,
        ...(where.oldest ? { oldest: where.oldest } : {}),
        include_all_metadata: true,
        limit: 200,
      });
  const messages = (found.messages ?? []) as Array<{
    ts?: string;
    metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  }>;
  return messages.find((m) => m.metadata?.event_type === eventType && matches(m.metadata.event_payload ?? {}))
    ?.ts;
}

/** A DM is posted to the user id; its history lives under the DM's own channel id. */
const USER_ID = /^[UW][A-Z0-9]{2,}$/;

async function findPosted(
  call: SlackCall,
  target: string,
  threadTs: string | undefined,
  key: string,
): Promise<string | undefined> {
  try {
    const channel = USER_ID.test(target)
      ? String(
          ((await call('conversations.open', { users: target })).channel as { id?: string } | undefined)?.id,
        )
      : target;
    return await findPostedMessage(
      call,
      threadTs ? { channel, threadTs } : { channel },
      MESSAGE_EVENT_TYPE,
      (p) => p.key === key,
    );
  } catch (error) {
    // A thread or history we may not read (thread_not_found, missing scope) holds no earlier post
    // we could see either: post. A transient failure is retried like the post itself.
    if (error instanceof PermanentError) return undefined;
    throw error;
  }
}

/** Raw Slack message arguments for the few edge callers that send blocks of their own. */
export interface SlackMessageArgs {
  [extra: string]: unknown;
  channel: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
}

export class SlackChat implements ChatPort {
  constructor(private readonly scheduler: Scheduler) {}

  post(target: ChatTarget, message: Message, key: string): void {
    this.postRaw(
      {
        channel: target.channel,
        text: toMrkdwn(message),
        ...('threadTs' in target ? { thread_ts: target.threadTs } : {}),
      },
      key,
    );
  }

  postEphemeral(channel: string, user: string, message: Message, key: string): void {
    if (!channel) return;
    this.enqueue('chat.postEphemeral', { channel, user, text: toMrkdwn(message) }, key);
  }

  postRaw(args: SlackMessageArgs, key: string): void {
    this.enqueue(
      'chat.postMessage',
      { unfurl_links: false, metadata: { event_type: MESSAGE_EVENT_TYPE, event_payload: { key } }, ...args },
      key,
    );
  }

  private enqueue(method: SlackCallPayload['method'], args: SlackMessageArgs, key: string): void {
    this.scheduler.enqueue({
      kind: SLACK_CALL,
      payload: { method, args },
      key: `slack:${key}`,
      lane: `slack:${args.channel}`,
    });
  }
}

// The Slack door of the alarm pipeline: messages in a tenant's alarm channels are alarms;
// human replies in an incident card's thread go on that incident's timeline.
// Slack was acknowledged once the event was in slack_inbound; an alarm is then stored and queued
// like a webhook's (triage-queue.ts), so a storm in a channel is triaged in shared chunks while
// the door keeps answering Slack, instead of one transaction per message on the ack path.
import { parseSlackMessage } from '../../domain/alarms/parsers/index.js';
import type { Clock } from '../../domain/clock.js';
import { fromMrkdwn } from '../../domain/message.js';
import type { IncidentStore } from '../../store/incident-store.js';
import type { TenantDirectory } from '../tenant-directory.js';
import type { Timeline } from '../timeline.js';
import type { AcceptOutcome } from './intake.js';
import type { TriageQueue } from './triage-queue.js';

export interface SlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: unknown;
  attachments?: unknown;
  blocks?: unknown;
  username?: unknown;
}

// Edits, deletions, joins and the like are not new alarms.
const IGNORED_SUBTYPES = new Set([
  'message_changed',
  'message_deleted',
  'message_replied',
  'channel_join',
  'channel_leave',
  'channel_topic',
  'channel_purpose',
  'channel_name',
  'pinned_item',
  'unpinned_item',
  'thread_broadcast',
]);

export type SlackAlarmOutcome =
  | { result: AcceptOutcome }
  | { result: 'ignored'; why: string }
  | { result: 'comment'; incidentId: number };

export class SlackAlarmDoor {
  constructor(
    private readonly deps: {
      tenants: TenantDirectory;
      triage: Pick<TriageQueue, 'accept'>;
      incidents: IncidentStore;
      timeline: Timeline;
      clock: Clock;
    },
  ) {}

  async handle(message: SlackMessage): Promise<SlackAlarmOutcome> {
    const place = this.deps.tenants.channel(message.channel);
    if (place?.role !== 'alarms') return { result: 'ignored', why: 'not an alarm channel' };
    if (message.subtype && IGNORED_SUBTYPES.has(message.subtype))
      return { result: 'ignored', why: message.subtype };

    if (message.thread_ts && message.thread_ts !== message.ts) {
      const incident = this.deps.incidents.findByCard(message.channel, message.thread_ts);
      if (incident && message.user && !message.bot_id) {
        const text = typeof message.text === 'string' ? message.text.slice(0, 2000) : '';
        this.deps.timeline.record({
          incidentId: incident.id,
          at: this.deps.clock.now(),
          kind: 'comment',
          actor: message.user,
          message: fromMrkdwn(text),
          data: { ts: message.ts },
        });
        return { result: 'comment', incidentId: incident.id };
      }
      return { result: 'ignored', why: 'reply in a thread that is not an incident card' };
    }

    const [outcome] = await this.deps.triage.accept([
      {
        tenant: place.tenant,
        source: 'slack',
        dedupeKey: `slack:${message.channel}:${message.ts}`,
        origin: `${message.channel}/${message.ts}`,
        raw: message,
        parsed: parseSlackMessage(message, this.deps.clock.now()),
        channel: message.channel,
      },
    ]);
    return { result: outcome as AcceptOutcome };
  }
}

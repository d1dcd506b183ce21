// What the SLA clock bench's two processes share: the bench config, the alarm and Slack's door.
// The bot itself is bench/bot-process.ts, pointed at a Slack stand-in in the parent — so Slack
// keeps its messages when the bot is killed, as the real one does, and a post retried after the
// crash can find the copy that already went out.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { SIGNING_SECRET } from '../../sandbox/driver.js';
import type { FakeClock } from '../../sandbox/fake-clock.js';
import { eventCallbackBody, SANDBOX_IDS, signSlackRequest } from '../../sandbox/slack-wire.js';

export const MINUTE = 60_000;
/** vega's Sev1 contract (config/sandbox.yaml, defaults): reminders at 10, 20, 25 min, target 30. */
export const REMINDER_MINUTES = [10, 20, 25] as const;
export const TARGET_MINUTES = 30;
// 03:00 on a Saturday in Portland: Sev1 is covered around the clock, no digest or handoff is due.
export const T0 = Date.parse('2026-12-05T11:00:00Z');
export const ALARM_CHANNEL = 'C0VEGAALRM';
export const VMS_BOT = 'B0VMSINTG1';

/** config/sandbox.yaml with alarms grouped per component, so each D-node down is its own incident. */
export function benchConfig(dir: string): string {
  const base = parse(readFileSync('config/sandbox.yaml', 'utf8')) as Record<string, unknown>;
  const path = join(dir, 'bench-sla.yaml');
  writeFileSync(
    path,
    stringify({ ...base, triage: { groupBy: ['tenant', 'cluster', 'category', 'component_id'] } }),
  );
  return path;
}

/** The VMS integration's Sev1 alarm for D-node `i` of vega's cluster (one incident each). */
export const dnodeDown = (i: number) =>
  `:red_circle: [CRITICAL] pdx-obj-01 (Portland) DNODE_DOWN dnode-${i}: D-node dnode-${i} is not responding`;

/** Slack's Events API delivery of the VMS integration's alarm messages, signed, to one bot. */
export class SlackDoor {
  private lastMicros = 0;
  private events = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly clock: FakeClock,
  ) {}

  async alarm(text: string): Promise<void> {
    const micros = Math.max(Math.floor(this.clock.now() * 1000), this.lastMicros + 100);
    this.lastMicros = micros;
    const ts = `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
    const event = {
      type: 'message',
      subtype: 'bot_message',
      bot_id: VMS_BOT,
      username: 'VMS',
      channel: ALARM_CHANNEL,
      text,
      ts,
      event_ts: ts,
      channel_type: 'channel',
    };
    const eventId = `Ev0SLA${(this.events++).toString(36).toUpperCase().padStart(8, '0')}`;
    const body = JSON.stringify(
      eventCallbackBody(event, { teamId: SANDBOX_IDS.teamId, eventId, nowMs: this.clock.now() }),
    );
    const response = await fetch(`${this.baseUrl}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signSlackRequest(SIGNING_SECRET, body, Math.floor(this.clock.now() / 1000)),
      },
      body,
    });
    await response.text();
    if (response.status !== 200) throw new Error(`the Slack door answered ${response.status}`);
  }
}

// The Slack door: a message posted into an alarm channel, whoever posted it. Formats are
// tried from the most specific to the loosest; anything else is kept as an `unparseable`
// alarm (never dropped: a human still sees it, classified Sev4/unclassified).
import type { ParsedAlarm } from '../types.js';
import { parseAlertmanagerSlack } from './alertmanager-slack.js';
import { cleanAlarm } from './clean-alarm.js';
import { parseGrafanaSlack } from './grafana-slack.js';
import { parseKeyValue } from './key-value.js';
import { collectSlackContent } from './slack-content.js';
import { MAX_EXCERPT_CHARS, oneLine } from './text.js';
import { parseVmsText } from './vms-text.js';

export interface SlackAlarmMessage {
  text?: unknown;
  attachments?: unknown;
  blocks?: unknown;
  username?: unknown;
  bot_id?: unknown;
}

/** An alarm that no parser understood, remembered by a clean one-line excerpt. */
export function unparseableAlarm(text: string): ParsedAlarm {
  return {
    format: 'unparseable',
    name: 'unparseable',
    status: 'firing',
    summary: oneLine(text, MAX_EXCERPT_CHARS) || '(empty message)',
    labels: {},
  };
}

/**
 * Reads an alarm from a Slack message: VMS text, Alertmanager's notification, Grafana's,
 * then `key=value` text. Never throws; `now` is accepted for symmetry with the other doors
 * (times in Slack text are not trusted, so classification stamps arrival time).
 */
export function parseSlackMessage(msg: SlackAlarmMessage, _now: number): ParsedAlarm {
  const content = collectSlackContent(msg);
  return cleanAlarm(
    parseVmsText(content.text) ??
      parseAlertmanagerSlack(content) ??
      parseGrafanaSlack(content) ??
      parseKeyValue(content.text) ??
      unparseableAlarm(content.text),
  );
}

// Alertmanager's Slack notifier: attachments with the `[FIRING:n] …` title (default
// `slack_configs` post only title, title_link, fallback and a danger/good color), or the same
// subject in a header/section block when a Slack app relays it.
import type { ParsedAlarm } from '../types.js';
import { alarmFromAmText } from './am-text.js';
import { isGrafana } from './grafana-slack.js';
import type { SlackContent } from './slack-content.js';

export function parseAlertmanagerSlack(content: SlackContent): ParsedAlarm | undefined {
  // Grafana speaks the same subject line; its own parser knows its layout.
  if (isGrafana(content)) return undefined;
  return alarmFromAmText(content.text);
}

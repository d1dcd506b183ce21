// The alarm intake parsers: raw input from each door → ParsedAlarm. Pure and total: they
// never throw and never read the clock; classification (../classify.ts) comes next.
export { type AlertmanagerWebhookResult, parseAlertmanagerWebhook } from './alertmanager-webhook.js';
export { cleanAlarm, cleanLabels } from './clean-alarm.js';
export { type Component, inferComponent, inferComponentFromLabels, kindFromWord } from './component.js';
export { parseSlackMessage, type SlackAlarmMessage, unparseableAlarm } from './slack-message.js';
export { MAX_EXCERPT_CHARS, MAX_INPUT_CHARS } from './text.js';
export { parseRfc3339, parseTimestamp } from './time.js';
export { parseVmsWebhook, type VmsWebhookResult } from './vms-webhook.js';

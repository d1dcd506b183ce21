// Grafana's Slack contact point: one attachment whose title is Grafana's `default.title`
// (`[FIRING:1, RESOLVED:1] DNodeDown sjc-obj-01 (…)`), whose text is `default.message`
// (`**Firing**`, then per alert `Value: A=1`, `Labels:` and `Annotations:` sections of
// ` - name = value` lines, `Source:`/`Silence:` links), colored #D63232/#36a64f, with a
// `Grafana v<version>` footer and the username "Grafana" unless overridden.
import type { ParsedAlarm } from '../types.js';
import { alarmFromAmText } from './am-text.js';
import type { SlackContent } from './slack-content.js';

const GRAFANA_SECTION = /^(Firing|Resolved)\n+(?:Value: .*\n)?Labels:\s*$/m;

export function isGrafana(content: SlackContent): boolean {
  return (
    content.footers.some((f) => /^Grafana\b/i.test(f)) ||
    /grafana/i.test(content.username ?? '') ||
    GRAFANA_SECTION.test(content.text)
  );
}

export function parseGrafanaSlack(content: SlackContent): ParsedAlarm | undefined {
  if (!isGrafana(content)) return undefined;
  // Same alarm shape as Alertmanager's (Grafana alerting *is* an Alertmanager); only the
  // text layout differs, and the shared reader handles both layouts.
  return alarmFromAmText(content.text);
}

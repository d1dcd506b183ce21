import type { SlackCall } from '../../slack/outbox.js';
import type { Incident } from '../../store/incident-store.js';

/** A link people can click to the incident's card (or its channel before the card exists). */
export async function incidentPermalink(slackCall: SlackCall, incident: Incident): Promise<string> {
  if (incident.cardTs) {
    try {
      const response = await slackCall('chat.getPermalink', {
        channel: incident.channel,
        message_ts: incident.cardTs,
      });
      if (typeof response.permalink === 'string') return response.permalink;
    } catch {
      // A permalink is a convenience: fall back to the channel rather than fail the case.
    }
  }
  return `https://slack.com/app_redirect?channel=${incident.channel}`;
}

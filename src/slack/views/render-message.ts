// The Slack edge of structured messages: runs → mrkdwn. Everything that came from people or
// alarms (text, bold, code, link labels) is escaped, so `<!here>` or `<https://evil|this>` typed
// into a reason shows as itself instead of pinging a channel or hiding a link.
import type { Message } from '../../domain/message.js';
import { code, escapeMrkdwn, LIMITS, link, mention, truncateMrkdwn } from './mrkdwn.js';

export function toMrkdwn(message: Message, max: number = LIMITS.messageText): string {
  const text = message
    .map((r) => {
      if ('text' in r) return escapeMrkdwn(r.text);
      if ('bold' in r) return r.bold.trim() ? `*${escapeMrkdwn(r.bold.replace(/\*/g, ''))}*` : '';
      if ('code' in r) return code(r.code);
      if ('mention' in r) return mention(r.mention);
      if ('link' in r) return link(r.link, r.label);
      return /^[a-z0-9_+-]+$/.test(r.emoji) ? `:${r.emoji}:` : '';
    })
    .join('');
  return truncateMrkdwn(text, max);
}

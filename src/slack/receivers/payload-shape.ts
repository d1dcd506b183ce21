// The shape a Slack payload must have before it is stored and handed to Bolt, checked by both
// receivers. Bolt trusts Slack: `'channel' in body.event` throws when `event` is a string, and
// `body.channel.id` when `channel` is null. A signed request (or a Socket Mode envelope) of that
// shape is broken or hostile; retrying it can never succeed, so it is refused at the door
// (400 over HTTP, acknowledged and dropped over Socket Mode) instead of failing inside Bolt.
import { isPlainObject, jsonKind, MAX_JSON_DEPTH, valueTooDeep } from '../../http/bounded-json.js';

const got = (path: string, expected: string, value: unknown) =>
  value === undefined
    ? `${path}: missing (expected ${expected})`
    : `${path}: expected ${expected}, got ${jsonKind(value)}`;

/** Why `body` cannot be a Slack payload, in one line; undefined when it can. */
export function slackPayloadProblem(body: unknown): string | undefined {
  if (!isPlainObject(body)) return `body: expected an object, got ${jsonKind(body)}`;
  if (valueTooDeep(body)) return `body is nested more than ${MAX_JSON_DEPTH} levels deep`;
  if (body.event !== undefined) {
    const event = body.event;
    if (!isPlainObject(event)) return `event: expected an object, got ${jsonKind(event)}`;
    if (typeof event.type !== 'string') return got('event.type', 'a string', event.type);
    const channel = event.channel;
    if (channel !== undefined && typeof channel !== 'string' && !isPlainObject(channel)) {
      return `event.channel: expected a string or an object, got ${jsonKind(channel)}`;
    }
    if (event.item !== undefined && !isPlainObject(event.item)) {
      return `event.item: expected an object, got ${jsonKind(event.item)}`;
    }
  }
  for (const key of ['channel', 'view', 'user', 'container'] as const) {
    const value = body[key];
    // Slash commands arrive form-encoded with flat string fields (channel_id, user_id).
    if (value !== undefined && !isPlainObject(value)) {
      return `${key}: expected an object, got ${jsonKind(value)}`;
    }
  }
  if (body.actions !== undefined && !Array.isArray(body.actions)) {
    return `actions: expected an array, got ${jsonKind(body.actions)}`;
  }
  return undefined;
}

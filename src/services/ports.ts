// What services need from chat, as small ports (DESIGN.md §6). Services say structured
// messages (domain/message.ts); the Slack edge (src/slack/) renders mrkdwn, escapes what people
// typed and turns every write into a durable, idempotent job. Services never see Slack payloads.
import type { Message } from '../domain/message.js';

/** Where a message goes in chat. */
export type ChatTarget =
  | { channel: string }
  /** A reply in a thread, e.g. under an incident's card. */
  | { channel: string; threadTs: string };

export interface ChatPort {
  /** Posts once per `key` (a retried or repeated request with the same key posts nothing more). */
  post(target: ChatTarget, message: Message, key: string): void;
  /** Only `user` sees it. */
  postEphemeral(channel: string, user: string, message: Message, key: string): void;
}

/** Links people can click to a message; used inside jobs (it may call the chat system). */
export interface Permalinks {
  permalink(channel: string, ts: string): Promise<string | undefined>;
  /** A link that opens the channel (when there is no message to link to yet). */
  channelLink(channel: string): string;
}

/** Display names for mentions in systems that cannot render a chat mention (Salesforce, Jira). */
export interface PeopleDirectory {
  displayNames(userIds: string[]): Promise<Map<string, string>>;
}

/** Who the configured staff user groups contain. */
export interface UserGroupReader {
  membersOf(userGroupId: string): Promise<string[]>;
}

/** A reply to a person who acted (a click, a command): shown only to them. */
export type ActionResult = { ok: boolean; message: Message };

/** What the on-call surfaces need to know about a person: their zone, and whether they can be in a user group. */
export interface PersonProfile {
  /** IANA zone from their chat profile, when known. */
  zone: string | undefined;
  /** Exists, is not deactivated and is not a bot. */
  usable: boolean;
}

export interface PeopleProfiles {
  profile(userId: string): Promise<PersonProfile>;
}

/** Sets who a chat user group contains (the on-call handles). */
export interface UserGroupWriter extends UserGroupReader {
  setMembers(userGroupId: string, userIds: string[]): Promise<void>;
}

/** A message with one button (e.g. a swap request's *Take it*). */
export interface ButtonMessages {
  postWithButton(
    channel: string,
    message: Message,
    button: { actionId: string; value: string; label: string },
    key: string,
  ): void;
}

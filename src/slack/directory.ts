// Slack lookups services need through ports: permalinks to messages, display names for mentions
// shown in Salesforce and Jira, and the members of the staff user groups. Each is a read that may
// fail; callers get a sensible fallback instead of an error (a link or a name is a convenience).
import type { Logger } from 'pino';
import { PermanentError } from '../jobs/errors.js';
import type {
  PeopleDirectory,
  PeopleProfiles,
  Permalinks,
  PersonProfile,
  UserGroupWriter,
} from '../services/ports.js';
import type { SlackCall } from './outbox.js';

export class SlackDirectory implements Permalinks, PeopleDirectory, UserGroupWriter, PeopleProfiles {
  private readonly names = new Map<string, string>();
  private readonly guests = new Map<string, boolean>();

  constructor(
    private readonly call: SlackCall,
    private readonly logger: Logger,
  ) {}

  async permalink(channel: string, ts: string): Promise<string | undefined> {
    try {
      const response = await this.call('chat.getPermalink', { channel, message_ts: ts });
      return typeof response.permalink === 'string' ? response.permalink : undefined;
    } catch (error) {
      this.logger.debug({ err: error, channel }, 'no permalink; linking the channel instead');
      return undefined;
    }
  }

  channelLink(channel: string): string {
    return `https://slack.com/app_redirect?channel=${encodeURIComponent(channel)}`;
  }

  async displayNames(userIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const id of userIds) {
      let name = this.names.get(id);
      if (name === undefined) {
        try {
          const response = await this.call('users.info', { user: id });
          const user = response.user as
            | { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } }
            | undefined;
          name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
          if (name) this.names.set(id, name);
        } catch (error) {
          this.logger.debug({ err: error, user: id }, 'no display name; showing the user id');
        }
      }
      if (name) out.set(id, name);
    }
    return out;
  }

  /**
   * Is this user a guest of our workspace (a single- or multi-channel guest)? Guests in a shared
   * channel are the customer's people. Unknown (the lookup failed) reads as not a guest.
   */
  async isGuest(userId: string): Promise<boolean> {
    const known = this.guests.get(userId);
    if (known !== undefined) return known;
    try {
      const response = await this.call('users.info', { user: userId });
      const user = response.user as { is_restricted?: boolean; is_ultra_restricted?: boolean } | undefined;
      const guest = Boolean(user?.is_restricted || user?.is_ultra_restricted);
      this.guests.set(userId, guest);
      return guest;
    } catch (error) {
      this.logger.debug({ err: error, user: userId }, 'could not tell whether the user is a guest');
      return false;
    }
  }

  async membersOf(userGroupId: string): Promise<string[]> {
    const response = await this.call('usergroups.users.list', { usergroup: userGroupId });
    return (response.users as string[] | undefined) ?? [];
  }

  async setMembers(userGroupId: string, userIds: string[]): Promise<void> {
    await this.call('usergroups.users.update', { usergroup: userGroupId, users: userIds.join(',') });
  }

  /** A person's zone and usability from users.info; a user Slack does not know is unusable. */
  async profile(userId: string): Promise<PersonProfile> {
    try {
      const response = await this.call('users.info', { user: userId });
      const user = response.user as { tz?: string; deleted?: boolean; is_bot?: boolean } | undefined;
      return { zone: user?.tz, usable: Boolean(user) && !user?.deleted && !user?.is_bot };
    } catch (error) {
      // user_not_found and friends: permanent, so the person is not usable; anything else is retried.
      if (error instanceof PermanentError) return { zone: undefined, usable: false };
      throw error;
    }
  }
}

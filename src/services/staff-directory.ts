import type { Logger } from 'pino';
import type { UserGroupReader } from './ports.js';

/**
 * Who counts as staff: the configured user ids plus the members of the configured user groups.
 * Group membership is read from Slack at start and refreshed by a recurring job; until the first
 * read succeeds only the explicit user ids are staff (fail closed).
 */
export class StaffDirectory {
  private groupMembers = new Set<string>();

  constructor(
    private readonly userIds: string[],
    private readonly userGroupIds: string[],
    private readonly reader: UserGroupReader,
    private readonly logger: Logger,
  ) {}

  isStaff(userId: string): boolean {
    return this.userIds.includes(userId) || this.groupMembers.has(userId);
  }

  async refresh(): Promise<void> {
    if (this.userGroupIds.length === 0) return;
    try {
      const lists = await Promise.all(this.userGroupIds.map((id) => this.reader.membersOf(id)));
      this.groupMembers = new Set(lists.flat());
    } catch (error) {
      this.logger.warn({ err: error }, 'could not refresh staff user groups; keeping the previous members');
    }
  }
}

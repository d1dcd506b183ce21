// Small recording fakes for the ports services talk through (src/services/ports.ts): tests
// read what a service said, in runs, without Slack.
import type { Message } from '../../src/domain/message.js';
import type { ChatPort, ChatTarget, PeopleDirectory, Permalinks } from '../../src/services/ports.js';

export class RecordingChat implements ChatPort {
  readonly posts: Array<{ target: ChatTarget; message: Message; key: string }> = [];
  readonly ephemerals: Array<{ channel: string; user: string; message: Message; key: string }> = [];
  private readonly keys = new Set<string>();

  post(target: ChatTarget, message: Message, key: string): void {
    // The real port posts once per key; so does the fake.
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.posts.push({ target, message, key });
  }

  postEphemeral(channel: string, user: string, message: Message, key: string): void {
    this.ephemerals.push({ channel, user, message, key });
  }
}

export class FakePermalinks implements Permalinks {
  async permalink(channel: string, ts: string): Promise<string | undefined> {
    return `https://slack.example/archives/${channel}/p${ts.replace('.', '')}`;
  }

  channelLink(channel: string): string {
    return `https://slack.example/archives/${channel}`;
  }
}

export class FakePeople implements PeopleDirectory {
  readonly names = new Map<string, string>([
    ['U1', 'Ada Lovelace'],
    ['U0STAFF001', 'Grace Hopper'],
  ]);
  readonly asked: string[][] = [];

  async displayNames(userIds: string[]): Promise<Map<string, string>> {
    this.asked.push([...userIds]);
    return new Map(userIds.flatMap((id) => (this.names.has(id) ? [[id, this.names.get(id) as string]] : [])));
  }
}

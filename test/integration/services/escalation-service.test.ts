import { afterEach, describe, expect, it } from 'vitest';
import { type Doc, fromMrkdwn, plainText } from '../../../src/domain/message.js';
import type {
  EscalationTracker,
  IssueChange,
  IssueFields,
  IssueRef,
} from '../../../src/integrations/ports.js';
import {
  ESCALATE_JOB,
  EscalationService,
  JIRA_COMMENT_JOB,
} from '../../../src/services/integrations/escalation-service.js';
import { type ServiceWorld, serviceWorld } from '../../helpers/services.js';

/** A Jira stand-in at the port: records every call and answers like the real adapter. */
class FakeEscalationTracker implements EscalationTracker {
  readonly created: Array<{
    incidentId: number;
    fields: IssueFields;
    remoteLink: { url: string; title: string };
  }> = [];
  readonly comments: Array<{ issueKey: string; body: Doc }> = [];

  async findOrCreateIssue(
    incidentId: number,
    fields: IssueFields,
    remoteLink: { url: string; title: string },
  ): Promise<IssueRef> {
    this.created.push({ incidentId, fields, remoteLink });
    return { key: 'ORION-7', id: '10007', url: 'https://jira.example/browse/ORION-7', created: true };
  }

  async addComment(issueKey: string, body: Doc): Promise<void> {
    this.comments.push({ issueKey, body });
  }

  async changedSince(): Promise<IssueChange[]> {
    return [];
  }
}

const worlds: ServiceWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

function setup() {
  const world = serviceWorld();
  worlds.push(world);
  const tracker = new FakeEscalationTracker();
  const escalations = new EscalationService({
    ...world.integrationDeps(),
    trackers: new Map([['JIRA', tracker]]),
  });
  for (const job of escalations.jobs()) world.scheduler.define(job);
  const incident = world.openIncident({ severity: 1 });
  world.incidents.update(incident.id, { cardTs: '1764147600.000100', cardPostedAt: world.clock.now() });
  return { world, tracker, escalations, id: incident.id };
}

/** Every string a document shows (run texts, link labels, code), to look for markup in it. */
function docStrings(d: Doc): string[] {
  const runs = d.blocks.flatMap((b) =>
    'heading' in b
      ? b.heading
      : 'paragraph' in b
        ? b.paragraph
        : 'bullets' in b
          ? b.bullets.flat()
          : [{ code: b.codeBlock }],
  );
  return runs.flatMap((r) =>
    'text' in r ? [r.text] : 'bold' in r ? [r.bold] : 'code' in r ? [r.code] : 'link' in r ? [r.label] : [],
  );
}

describe('EscalationService (real SQLite, fake EscalationTracker)', () => {
  it('finds or creates the issue with a neutral Doc description: runs and links, no Slack mrkdwn', async () => {
    const { world, tracker, escalations, id } = setup();
    world.links.save(
      {
        incidentId: id,
        system: 'salesforce',
        externalId: '500Dn000001AbCd',
        ref: '00012345',
        url: 'https://sf.example/lightning/r/Case/500Dn000001AbCd/view',
        status: 'New',
      },
      world.clock.now(),
    );
    expect(escalations.request(id, 'U1').ok).toBe(true);
    expect(world.jobsOf(ESCALATE_JOB).map((j) => j.key)).toEqual([`jira-escalate:${id}`]);
    await world.drain();

    expect(tracker.created).toHaveLength(1);
    const { fields, remoteLink, incidentId } = tracker.created[0] as (typeof tracker.created)[number];
    expect(incidentId).toBe(id);
    expect(fields).toMatchObject({
      projectKey: 'ORION',
      issueType: 'Bug',
      priority: 'Highest',
      labels: ['tenant-nimbus', 'cluster-sjc-obj-01', 'category-storage-node'],
    });
    const permalink = 'https://slack.example/archives/C0NIMBALRM/p1764147600000100';
    expect(remoteLink).toEqual({ url: permalink, title: `Slack: INC-${id} (Nimbus GPU Cloud)` });
    const blocks = fields.description.blocks;
    expect(blocks[0]).toEqual({
      heading: [{ text: `INC-${id}: D-node dnode-3 is not responding` }],
      level: 3,
    });
    expect(blocks).toContainEqual({ paragraph: [{ link: permalink, label: 'Slack thread' }] });
    const bullets = blocks.find((b) => 'bullets' in b) as { bullets: unknown[] };
    expect(bullets.bullets).toContainEqual([
      { text: 'Salesforce case: ' },
      { link: 'https://sf.example/lightning/r/Case/500Dn000001AbCd/view', label: '00012345' },
    ]);
    // Slack markup would show literally in Jira: no <url|label>, <@U…>, *bold* or &amp; escapes.
    const strings = docStrings(fields.description);
    expect(strings.length).toBeGreaterThan(3);
    for (const s of strings) expect(s).not.toMatch(/<[@#!]?[^>]*>|\*[^*]+\*|&(amp|lt|gt);/);

    expect(world.links.get(id, 'jira')).toMatchObject({ ref: 'ORION-7', externalId: '10007', status: null });
    expect(world.incidents.timeline(id).at(-1)).toMatchObject({
      kind: 'escalation-opened',
      text: 'Escalated to engineering: ORION-7',
    });
  });

  it('refuses to mirror a thread message before the incident is escalated', () => {
    const { world, escalations, id } = setup();
    const result = escalations.mirror(id, 'U1', fromMrkdwn('hello'), 'C0NIMBALRM:1764147700.000200');
    expect(result.ok).toBe(false);
    expect(plainText(result.message)).toBe(
      `INC-${id} is not escalated yet: click Escalate to engineering on the card first.`,
    );
    expect(world.jobsOf(JIRA_COMMENT_JOB)).toEqual([]);
  });

  it('mirrors a thread message as a comment Doc: mentions carry display names, a Slack link becomes a link run', async () => {
    const { world, tracker, escalations, id } = setup();
    escalations.request(id, 'U1');
    await world.drain();

    const said = fromMrkdwn('see <https://x.example/a|the graph> &amp; ask <@U1>');
    const result = escalations.mirror(id, 'U0STAFF001', said, 'C0NIMBALRM:1764147700.000200');
    expect(result).toEqual({ ok: true, message: [{ text: 'Sending that message to ORION-7.' }] });
    // The same message sent twice is one comment.
    escalations.mirror(id, 'U0STAFF001', said, 'C0NIMBALRM:1764147700.000200');
    await world.drain();

    expect(tracker.comments).toEqual([
      {
        issueKey: 'ORION-7',
        body: {
          blocks: [
            {
              paragraph: [
                { text: 'From Slack, ' },
                { mention: 'U0STAFF001', name: 'Grace Hopper' },
                { text: ': ' },
                { text: 'see ' },
                { link: 'https://x.example/a', label: 'the graph' },
                { text: ' & ask ' },
                { mention: 'U1', name: 'Ada Lovelace' },
              ],
            },
          ],
        },
      },
    ]);
  });

  it('posts a status change to the thread once per new status, and none for the first status a poll sees', () => {
    const { world, escalations, id } = setup();
    world.links.save(
      {
        incidentId: id,
        system: 'jira',
        externalId: '10007',
        ref: 'ORION-7',
        url: 'https://jira.example/browse/ORION-7',
        status: null,
      },
      world.clock.now(),
    );

    // A poll's first sighting is where the issue started: recorded, not announced.
    expect(escalations.statusChanged('ORION-7', 'Open', null)).toBe(true);
    expect(world.chat.posts).toEqual([]);
    expect(world.links.get(id, 'jira')?.status).toBe('Open');

    world.clock.advance('1m');
    escalations.statusChanged('ORION-7', 'In Progress', 'Bob Builder', true);
    world.clock.advance('1m');
    escalations.statusChanged('ORION-7', 'In Progress', null, true);
    world.clock.advance('1m');
    escalations.statusChanged('ORION-7', 'Done', null);

    expect(world.chat.posts.map((p) => plainText(p.message))).toEqual([
      'ORION-7 is now In Progress (by Bob Builder)',
      'ORION-7 is now Done',
    ]);
    expect(world.chat.posts[0]?.target).toEqual({ channel: 'C0NIMBALRM', threadTs: '1764147600.000100' });
    expect(world.chat.posts[0]?.message).toContainEqual({ bold: 'In Progress' });
    expect(world.incidents.timeline(id).filter((e) => e.kind === 'jira-update')).toHaveLength(2);
    expect(escalations.statusChanged('ORION-404', 'Done', null, true)).toBe(false);
  });
});

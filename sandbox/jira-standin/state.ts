// The stand-in's Jira site: projects, issues with keys ORION-1, ORION-2…, entity properties, comments,
// remote links (unique per globalId) and a three-step workflow To Do → In Progress → Done.
import type { RichText, StoredComment, StoredIssue, StoredRemoteLink } from './types.js';

export interface WorkflowStatus {
  id: string;
  name: string;
  category: { id: number; key: 'new' | 'indeterminate' | 'done'; name: string };
}

export interface WorkflowTransition {
  id: string;
  name: string;
  from: string;
  to: string;
}

export const STATUSES: WorkflowStatus[] = [
  { id: '10000', name: 'To Do', category: { id: 2, key: 'new', name: 'To Do' } },
  { id: '3', name: 'In Progress', category: { id: 4, key: 'indeterminate', name: 'In Progress' } },
  { id: '10001', name: 'Done', category: { id: 3, key: 'done', name: 'Done' } },
];

export const TRANSITIONS: WorkflowTransition[] = [
  { id: '11', name: 'Start Progress', from: 'To Do', to: 'In Progress' },
  { id: '21', name: 'Stop Progress', from: 'In Progress', to: 'To Do' },
  { id: '31', name: 'Done', from: 'In Progress', to: 'Done' },
  { id: '41', name: 'Reopen', from: 'Done', to: 'To Do' },
];

export function statusByName(name: string): WorkflowStatus {
  const status = STATUSES.find((s) => s.name === name);
  if (!status) throw new Error(`unknown status ${name}`);
  return status;
}

export interface ChangelogEntry {
  issueKey: string;
  author: string;
  at: number;
  items: {
    field: string;
    from: string | null;
    fromString: string | null;
    to: string | null;
    toString: string | null;
  }[];
}

export class JiraState {
  readonly issues = new Map<string, StoredIssue>();
  readonly comments = new Map<string, StoredComment[]>();
  readonly remoteLinks = new Map<string, StoredRemoteLink[]>();
  readonly changelog: ChangelogEntry[] = [];
  private nextIssueId = 10_000;
  private nextCommentId = 20_000;
  private nextLinkId = 100;
  private readonly counters = new Map<string, number>();

  constructor(
    readonly projects: string[],
    readonly priorities: string[],
    readonly issueTypes: string[],
    readonly now: () => number,
  ) {}

  projectExists(key: string): boolean {
    return this.projects.some((p) => p.toUpperCase() === key.toUpperCase());
  }

  /** Looked up by key or numeric id, as Jira's `{issueIdOrKey}` does. */
  issue(idOrKey: string): StoredIssue | undefined {
    return this.issues.get(idOrKey.toUpperCase()) ?? [...this.issues.values()].find((i) => i.id === idOrKey);
  }

  createIssue(
    fields: Omit<StoredIssue, 'id' | 'key' | 'status' | 'created' | 'updated' | 'properties'>,
  ): StoredIssue {
    const n = (this.counters.get(fields.projectKey) ?? 0) + 1;
    this.counters.set(fields.projectKey, n);
    this.nextIssueId += 1;
    const at = this.now();
    const issue: StoredIssue = {
      ...fields,
      id: String(this.nextIssueId),
      key: `${fields.projectKey}-${n}`,
      status: 'To Do',
      created: at,
      updated: at,
      properties: {},
    };
    this.issues.set(issue.key, issue);
    return issue;
  }

  addComment(issue: StoredIssue, author: string, body: RichText): StoredComment {
    this.nextCommentId += 1;
    const comment: StoredComment = { id: String(this.nextCommentId), author, body, created: this.now() };
    const list = this.comments.get(issue.key) ?? [];
    list.push(comment);
    this.comments.set(issue.key, list);
    issue.updated = comment.created;
    return comment;
  }

  /** Create-or-update by globalId (a link without one is always new), like Jira. */
  upsertRemoteLink(
    issue: StoredIssue,
    globalId: string | null,
    object: Record<string, unknown>,
  ): { link: StoredRemoteLink; created: boolean } {
    const list = this.remoteLinks.get(issue.key) ?? [];
    this.remoteLinks.set(issue.key, list);
    const existing = globalId === null ? undefined : list.find((l) => l.globalId === globalId);
    if (existing) {
      existing.object = object;
      return { link: existing, created: false };
    }
    this.nextLinkId += 1;
    const link: StoredRemoteLink = { id: this.nextLinkId, globalId, object };
    list.push(link);
    issue.updated = this.now();
    return { link, created: true };
  }

  transitionsFrom(issue: StoredIssue): WorkflowTransition[] {
    return TRANSITIONS.filter((t) => t.from === issue.status);
  }

  applyTransition(issue: StoredIssue, transition: WorkflowTransition, author: string): ChangelogEntry {
    const from = statusByName(issue.status);
    const to = statusByName(transition.to);
    issue.status = to.name;
    issue.updated = this.now();
    const entry: ChangelogEntry = {
      issueKey: issue.key,
      author,
      at: issue.updated,
      items: [{ field: 'status', from: from.id, fromString: from.name, to: to.id, toString: to.name }],
    };
    this.changelog.push(entry);
    return entry;
  }
}

// Shapes shared by the Jira stand-in's modules and its callers (tests, the sandbox).

export interface JiraStandInOptions {
  /** Project keys that exist, e.g. ['ORION']. Creating or searching elsewhere is a 400, as in Jira. */
  projects: string[];
  /** Priority names Jira knows (default Highest, High, Medium, Low, Lowest). */
  priorities?: string[];
  /** Issue type names of every project (default Bug, Task, Story). */
  issueTypes?: string[];
  /** Basic auth: the bot's Atlassian account email and API token. */
  email?: string;
  apiToken?: string;
  /** Bearer auth (Data Center personal access token); defaults to `apiToken`. */
  pat?: string;
  now?: () => number;
}

export type RichText =
  | { format: 'adf'; doc: { type: 'doc'; version: 1; content: unknown[] } }
  | { format: 'wiki'; text: string };

export interface StoredComment {
  id: string;
  author: string;
  body: RichText;
  created: number;
}

export interface StoredRemoteLink {
  id: number;
  globalId: string | null;
  object: Record<string, unknown>;
}

export interface StoredIssue {
  id: string;
  key: string;
  projectKey: string;
  issueType: string;
  priority: string;
  summary: string;
  description: RichText | null;
  labels: string[];
  status: string;
  created: number;
  updated: number;
  properties: Record<string, unknown>;
}

export interface RecordedCall {
  method: string;
  /** Path without the query string, e.g. /rest/api/3/issue. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (undefined when there was none). */
  body: unknown;
  auth: 'basic' | 'bearer' | 'none';
  status: number;
}

export interface FaultMatcher {
  method?: string;
  /** Tested against the path (no query string). */
  path?: RegExp;
}

/**
 * What to do instead of the normal answer. `status` 4xx/5xx answers with that status (Jira's error body
 * unless `body` is given, `Retry-After` when `retryAfterSec` is); a 2xx status only delays (`delayMs`) and
 * then serves the request normally — a slow success, e.g. a create that outlives the client's timeout;
 * status 0 drops the connection (a network error).
 */
export interface FaultSpec {
  times?: number;
  status: number;
  body?: unknown;
  retryAfterSec?: number;
  delayMs?: number;
}

/** What Jira would POST to a webhook for a change a person made (see `humanTransition`/`humanComment`). */
export type JiraWebhookBody = Record<string, unknown>;

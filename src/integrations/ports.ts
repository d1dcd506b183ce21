// The small interfaces services use to reach the outside systems (DESIGN.md §5). Adapters
// implement them (`satisfies`); the in-process stand-ins speak the same REST wire formats, so
// the real adapters are exercised in tests and the sandbox.
//
import type { Doc } from '../domain/message.js';

// Errors: adapters throw the typed errors of src/jobs/errors.ts —
//   RetryableError (5xx, 429/REQUEST_LIMIT_EXCEEDED with retryAfterMs, timeouts, network),
//   PermanentError (validation errors: 400 with errorCode/errorMessages; `hint` says in plain
//   words what to fix). An expired session (INVALID_SESSION_ID / 401) is handled inside the
//   adapter: it re-authenticates once and repeats the call; a second 401 is a PermanentError.

/** Fields of a Salesforce Case the bot writes (API names come from the tenant's field mapping). */
export interface CaseFields {
  subject: string;
  description: string;
  priority: string; // e.g. "High" — already mapped from the incident severity
  status: string; // e.g. "New"
  origin: string; // "Slack"
  accountId: string;
  contactId?: string;
  /** Extra API-name → value pairs from the tenant's mapping. */
  extra?: Record<string, string | number | boolean | null>;
}

export interface CaseRef {
  id: string; // 500…
  caseNumber: string; // 00012345
  url: string; // Lightning URL for people
  created: boolean; // true: 201 (new), false: 204/200 (the external id already existed)
}

export interface CaseChange {
  id: string;
  caseNumber: string;
  externalId: string | null; // the incident id we stored in the external-id field
  status: string;
  priority: string;
  ownerName: string | null;
  lastModified: number; // epoch ms
  /** Who opened it and how (a case the customer opened is their signal in "who was first"). */
  accountId?: string | null;
  origin?: string | null;
  subject?: string | null;
  created?: number | null; // epoch ms
}

export interface CaseTracker {
  /** Upsert by the configured external-id field carrying the incident id. Idempotent. */
  upsertCase(externalId: string, fields: CaseFields): Promise<CaseRef>;
  addComment(caseId: string, body: string): Promise<void>;
  setStatus(caseId: string, status: string): Promise<void>;
  /** Cases of these accounts modified in [since, until), via SOQL with bound, escaped values. */
  changedSince(accountIds: string[], since: number, until: number): Promise<CaseChange[]>;
  /** The same connection, with error hints naming this tenant's config keys. */
  forTenant?(tenantId: string): CaseTracker;
}

export interface IssueFields {
  projectKey: string;
  issueType: string; // "Bug"
  priority: string; // mapped from severity, e.g. "Highest"
  summary: string;
  /** A neutral document: the adapter renders ADF (Cloud, v3) or wiki text (Data Center, v2). */
  description: Doc;
  labels: string[];
}

export interface IssueRef {
  key: string; // ORION-123
  id: string;
  url: string; // browse URL for people
  created: boolean; // false when found by the incident property/label (no duplicate created)
}

export interface IssueChange {
  key: string;
  incidentId: number | null;
  status: string;
  updated: number; // epoch ms
}

export interface EscalationTracker {
  /** Finds the issue carrying this incident's property/label, or creates it. Idempotent. */
  findOrCreateIssue(
    incidentId: number,
    fields: IssueFields,
    remoteLink: { url: string; title: string },
  ): Promise<IssueRef>;
  addComment(issueKey: string, body: Doc): Promise<void>;
  /** Issues of the project (labelled by opsbot) updated since, via JQL with quoted, escaped values. */
  changedSince(projectKey: string, since: number): Promise<IssueChange[]>;
  /** The same connection, with error hints naming this tenant's config keys. */
  forTenant?(tenantId: string): EscalationTracker;
}

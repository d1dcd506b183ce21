// Salesforce answers parsed at the boundary: what the adapter reads is checked, not assumed.
import { z } from 'zod';
import { RetryableError } from '../../jobs/errors.js';
import type { CaseChange } from '../ports.js';

const SaveResult = z.object({
  id: z.string(),
  success: z.boolean().optional(),
  created: z.boolean().optional(),
});

const CaseNumberRecord = z.object({ Id: z.string().optional(), CaseNumber: z.string() });

const CaseRow = z
  .object({
    Id: z.string(),
    CaseNumber: z.string(),
    Status: z.string().nullable().optional(),
    Priority: z.string().nullable().optional(),
    Owner: z.object({ Name: z.string().nullable().optional() }).nullable().optional(),
    LastModifiedDate: z.string(),
    AccountId: z.string().nullable().optional(),
    Origin: z.string().nullable().optional(),
    Subject: z.string().nullable().optional(),
    CreatedDate: z.string().nullable().optional(),
  })
  .catchall(z.unknown());
type CaseRow = z.infer<typeof CaseRow>;

const QueryPage = z.object({
  done: z.boolean(),
  nextRecordsUrl: z
    .string()
    .regex(/^\/services\/data\//)
    .optional(),
  records: z.array(CaseRow),
});

/** A 2xx whose body is not what the REST API documents: most likely a proxy or a partial answer. */
function parse<T>(schema: z.ZodType<T>, body: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new RetryableError(`Salesforce answered an unexpected ${what} body`);
  return result.data;
}

export function parseSaveResult(body: string) {
  return parse(SaveResult, body, 'upsert');
}

export function parseCaseNumber(body: string) {
  return parse(CaseNumberRecord, body, 'Case');
}

export function parseQueryPage(body: string) {
  return parse(QueryPage, body, 'query');
}

export function toCaseChange(row: CaseRow, externalIdField: string): CaseChange {
  const external = row[externalIdField];
  return {
    id: row.Id,
    caseNumber: row.CaseNumber,
    externalId: typeof external === 'string' ? external : null,
    status: row.Status ?? '',
    priority: row.Priority ?? '',
    ownerName: row.Owner?.Name ?? null,
    lastModified: parseSalesforceDateTime(row.LastModifiedDate),
    accountId: row.AccountId ?? null,
    origin: row.Origin ?? null,
    subject: row.Subject ?? null,
    created: row.CreatedDate ? parseSalesforceDateTime(row.CreatedDate) : null,
  };
}

/** Salesforce writes "2024-05-01T12:00:00.000+0000"; the offset lacks the colon ISO parsers want. */
export function parseSalesforceDateTime(text: string): number {
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  if (Number.isNaN(ms))
    throw new RetryableError(`Salesforce answered an unreadable date ${JSON.stringify(text)}`);
  return ms;
}

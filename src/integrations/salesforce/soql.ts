// SOQL built from bound values only. Every value goes through one of these helpers, so text
// from people (or from a poisoned config) can never change the shape of a query.
import { PermanentError } from '../../jobs/errors.js';

/** A 15- or 18-character Salesforce record id (case-sensitive / case-insensitive form). */
export const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

// SOQL's escape sequences for quoted strings (Salesforce "Quoted String Escape Sequences").
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A quoted SOQL string literal: whatever `value` holds stays a literal. */
export function soqlString(value: string): string {
  return `'${value.replace(/[\\'"\n\r\t\b\f]/g, (c) => ESCAPES[c] ?? c)}'`;
}

/** Ids are checked, not just escaped: anything but a 15/18-character id is a PermanentError. */
export function soqlId(id: string, what = 'record id', hint?: string): string {
  return soqlString(assertSalesforceId(id, what, hint));
}

export function assertSalesforceId(id: string, what = 'record id', hint?: string): string {
  if (!SALESFORCE_ID.test(id)) {
    // Only the start of the value is quoted: it may be arbitrary text.
    throw new PermanentError(`invalid Salesforce ${what} ${JSON.stringify(id.slice(0, 40))}`, {
      hint: hint ?? `a Salesforce ${what} has 15 or 18 letters and digits`,
    });
  }
  return id;
}

/**
 * A SOQL dateTime literal (unquoted, UTC). Salesforce keeps LastModifiedDate to the second,
 * so instants are floored to the second: consecutive [since, until) windows still tile exactly.
 */
export function soqlDateTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new PermanentError(`invalid instant for SOQL: ${epochMs}`);
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Field API names are interpolated as names, so they must look like names. */
export function soqlFieldName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)?$/.test(name)) {
    throw new PermanentError(`invalid Salesforce field name ${JSON.stringify(name)}`);
  }
  return name;
}

/** Cases of these accounts last modified in [since, until), oldest first. */
export function changedCasesQuery(
  externalIdField: string,
  accountIds: string[],
  since: number,
  until: number,
): string {
  const accounts = accountIds.map((id) => soqlId(id, 'Account id')).join(', ');
  return [
    `SELECT Id, CaseNumber, Status, Priority, Owner.Name, LastModifiedDate, ${soqlFieldName(externalIdField)}, AccountId, Origin, Subject, CreatedDate`,
    'FROM Case',
    `WHERE AccountId IN (${accounts})`,
    `AND LastModifiedDate >= ${soqlDateTime(since)}`,
    `AND LastModifiedDate < ${soqlDateTime(until)}`,
    'ORDER BY LastModifiedDate',
  ].join(' ');
}

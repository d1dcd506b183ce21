// Every JQL the adapter sends is built here, from quoted, escaped values (like bound SOQL parameters for
// Salesforce): a project key or label can never close the string and append `OR project != "X"`.
import { PermanentError } from '../../jobs/errors.js';

/** Label every opsbot issue carries: the changedSince poll filters on it. */
export const OPSBOT_LABEL = 'opsbot';
const INCIDENT_LABEL_PREFIX = 'opsbot-incident-';

export function incidentLabel(incidentId: number): string {
  if (!Number.isSafeInteger(incidentId) || incidentId < 0) {
    throw new PermanentError(`incident id ${incidentId} is not a non-negative integer`);
  }
  return `${INCIDENT_LABEL_PREFIX}${incidentId}`;
}

/** The incident id from labels (`opsbot-incident-42` → 42), or null when none carries one. */
export function incidentIdFromLabels(labels: readonly unknown[]): number | null {
  for (const label of labels) {
    if (typeof label !== 'string' || !label.startsWith(INCIDENT_LABEL_PREFIX)) continue;
    const digits = label.slice(INCIDENT_LABEL_PREFIX.length);
    if (/^\d{1,15}$/.test(digits)) return Number(digits);
  }
  return null;
}

// C0 controls and DEL: JQL has no escape for them, and a newline in a query is never intended.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A JQL string literal: `"…"` with `\` and `"` backslash-escaped; control characters are refused. */
export function jqlString(value: string): string {
  if (CONTROL.test(value)) {
    throw new PermanentError('refusing to put a control character into a JQL query', {
      hint: 'a project key, label or date passed to Jira contains a line break or control character',
    });
  }
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

const PROJECT_KEY = /^[A-Z][A-Z0-9_]+$/;

/** Project keys are validated before use, so a config typo fails with a hint instead of a JQL error. */
export function assertProjectKey(projectKey: string, tenantId?: string): string {
  if (!PROJECT_KEY.test(projectKey)) {
    throw new PermanentError(`"${projectKey}" is not a Jira project key`, {
      hint: `a project key is upper-case letters, digits and _ starting with a letter, like ORION — check tenants.${tenantId ?? '<tenant>'}.jira.projectKey`,
    });
  }
  return projectKey;
}

/**
 * `yyyy/MM/dd HH:mm` in `timeZone` — JQL's date format. Jira reads it in the API user's profile time zone,
 * and has minute resolution, so callers round down and filter the exact instant themselves.
 */
export function jqlDate(epochMs: number, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(epochMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${part('year')}/${part('month')}/${part('day')} ${part('hour')}:${part('minute')}`;
}

/** The idempotency lookup: the issue of this incident in this project, found by its label. */
export function incidentLookupJql(projectKey: string, incidentId: number, tenantId?: string): string {
  return `project = ${jqlString(assertProjectKey(projectKey, tenantId))} AND labels = ${jqlString(incidentLabel(incidentId))}`;
}

/** The poll: opsbot issues of the project updated at or after `since` (minute resolution). */
export function changedSinceJql(
  projectKey: string,
  since: number,
  timeZone = 'UTC',
  tenantId?: string,
): string {
  return [
    `project = ${jqlString(assertProjectKey(projectKey, tenantId))}`,
    `labels = ${jqlString(OPSBOT_LABEL)}`,
    `updated >= ${jqlString(jqlDate(since, timeZone))}`,
  ].join(' AND ');
}

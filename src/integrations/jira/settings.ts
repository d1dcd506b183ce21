// Which Jira site to talk to and how to sign in, read from the environment (DESIGN.md §6–7: every base URL
// configurable, an injected `env`, every problem reported at once, secrets never echoed). Several sites
// can coexist under different prefixes: JIRA_* (Cloud) and e.g. JIRA_HELIX_* (a Data Center), chosen per
// tenant by `tenants.<tenant>.jira.site`.

export type JiraAuth = { kind: 'basic'; email: string; apiToken: string } | { kind: 'bearer'; token: string };

export interface JiraSettings {
  /** https://acme.atlassian.net or a Data Center URL (a context path such as /jira is kept). */
  baseUrl: string;
  /** 3 = Cloud (ADF), 2 = Server/Data Center (wiki text). */
  apiVersion: 3 | 2;
  /** Basic = email + API token (Cloud); bearer = personal access token (Data Center). */
  auth: JiraAuth;
  timeoutMs: number;
  now: () => number;
  /** The env prefix these came from, so hints name the right variables (JIRA_EMAIL vs JIRA_HELIX_EMAIL). */
  envPrefix?: string;
  /**
   * Time zone JQL dates are read in: Jira interprets `updated >= "2024/05/01 14:00"` in the *profile time
   * zone of the API user*, so this must match that profile. Default UTC.
   */
  timeZone?: string;
}

export type JiraSettingsResult =
  | { ok: true; settings: JiraSettings | undefined }
  | { ok: false; problems: string[] };

const DEFAULT_TIMEOUT_MS = 15_000;

function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    // Intl throws RangeError for unknown zones; that *is* the answer here.
    return false;
  }
}

function readBaseUrl(raw: string, name: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} is not a URL (expected e.g. https://acme.atlassian.net)`);
    return '';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`${name} must start with https:// (got ${url.protocol})`);
  }
  if (url.search !== '' || url.hash !== '') problems.push(`${name} must not contain ?query or #fragment`);
  if (/\/rest(\/|$)/.test(url.pathname)) {
    problems.push(`${name} must be the site URL without /rest/api/… (the API path is added per request)`);
  }
  // A Data Center under a context path (https://jira.acme.com/jira) keeps it; the trailing slash goes.
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function readInt(raw: string | undefined, name: string, fallback: number, problems: string[]): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  // Number('') is 0 and Number('15s') NaN: accept plain positive integers only (DESIGN: no silent NaN).
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be a whole number of milliseconds (got "${raw}")`);
    return fallback;
  }
  const value = Number(raw.trim());
  if (value < 1 || value > 300_000) problems.push(`${name} must be between 1 and 300000 ms (got ${value})`);
  return value;
}

/**
 * Reads `<prefix>_BASE_URL`, `<prefix>_API_VERSION` (3 default), `<prefix>_EMAIL` + `<prefix>_API_TOKEN`
 * (basic) or `<prefix>_PAT` (bearer), `<prefix>_TIMEOUT_MS` (15000) and `<prefix>_TIME_ZONE` (UTC).
 * `settings` is undefined when `<prefix>_BASE_URL` is unset: Jira is not configured, which is allowed.
 */
export function jiraSettingsFromEnv(
  env: Record<string, string | undefined>,
  prefix = 'JIRA',
  now: () => number = Date.now,
): JiraSettingsResult {
  const v = (suffix: string): string | undefined => {
    const value = env[`${prefix}_${suffix}`];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const rawBase = v('BASE_URL');
  if (rawBase === undefined) return { ok: true, settings: undefined };

  const problems: string[] = [];
  const baseUrl = readBaseUrl(rawBase, `${prefix}_BASE_URL`, problems);

  const rawVersion = v('API_VERSION') ?? '3';
  const apiVersion = rawVersion === '3' ? 3 : rawVersion === '2' ? 2 : undefined;
  if (apiVersion === undefined) {
    problems.push(
      `${prefix}_API_VERSION must be 3 (Jira Cloud) or 2 (Server/Data Center), got "${rawVersion}"`,
    );
  }

  const email = v('EMAIL');
  const apiToken = v('API_TOKEN');
  const pat = v('PAT');
  let auth: JiraAuth | undefined;
  if (pat !== undefined && (email !== undefined || apiToken !== undefined)) {
    problems.push(
      `set either ${prefix}_EMAIL + ${prefix}_API_TOKEN (Cloud) or ${prefix}_PAT (Data Center personal access token), not both`,
    );
  } else if (pat !== undefined) {
    auth = { kind: 'bearer', token: pat };
  } else if (email !== undefined && apiToken !== undefined) {
    // jira.js validates the email format at client construction; report it here with the others instead.
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      problems.push(`${prefix}_EMAIL must be the Atlassian account email of the bot user`);
    }
    auth = { kind: 'basic', email, apiToken };
  } else if (email !== undefined) {
    problems.push(
      `${prefix}_API_TOKEN is missing (create one at https://id.atlassian.com/manage-profile/security/api-tokens)`,
    );
  } else if (apiToken !== undefined) {
    problems.push(`${prefix}_EMAIL is missing (the Atlassian account email the API token belongs to)`);
  } else {
    problems.push(
      `${prefix}_BASE_URL is set but no credentials: set ${prefix}_EMAIL + ${prefix}_API_TOKEN (Cloud) or ${prefix}_PAT (Data Center)`,
    );
  }

  const timeoutMs = readInt(
    env[`${prefix}_TIMEOUT_MS`],
    `${prefix}_TIMEOUT_MS`,
    DEFAULT_TIMEOUT_MS,
    problems,
  );

  const timeZone = v('TIME_ZONE') ?? 'UTC';
  if (!isValidTimeZone(timeZone)) {
    problems.push(`${prefix}_TIME_ZONE must be an IANA zone like UTC or Europe/Berlin (got "${timeZone}")`);
  }

  if (problems.length > 0 || auth === undefined || apiVersion === undefined) {
    return { ok: false, problems };
  }
  return { ok: true, settings: { baseUrl, apiVersion, auth, timeoutMs, now, envPrefix: prefix, timeZone } };
}

/** The env variables a human must fix when Jira rejects the credentials. */
export function credentialVariables(settings: Pick<JiraSettings, 'auth' | 'envPrefix'>): string {
  const prefix = settings.envPrefix ?? 'JIRA';
  return settings.auth.kind === 'basic' ? `${prefix}_EMAIL/${prefix}_API_TOKEN` : `${prefix}_PAT`;
}

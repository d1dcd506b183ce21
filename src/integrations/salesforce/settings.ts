// Salesforce connection settings and their parsing from the environment (SALESFORCE_*).
// Every bad variable is reported at once, one plain line each; secret values are never echoed.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

export type SalesforceAuth =
  | { flow: 'client_credentials'; clientId: string; clientSecret: string }
  | { flow: 'jwt'; clientId: string; username: string; privateKeyPem: string }
  /** Documented fallback for orgs that cannot use the two server-to-server flows. */
  | { flow: 'password'; clientId: string; clientSecret: string; username: string; password: string };

export type SalesforceAuthFlow = SalesforceAuth['flow'];

export interface SalesforceSettings {
  auth: SalesforceAuth;
  /** https://login.salesforce.com, https://test.salesforce.com or a My Domain URL; no trailing slash. */
  loginUrl: string;
  /** Overrides the token response's instance_url when set. */
  instanceUrl?: string;
  /** e.g. '62.0' */
  apiVersion: string;
  /** Custom Case field (Text, External ID, Unique) that carries the incident id. */
  externalIdField: string;
  /** Per request; a timeout is a RetryableError. */
  timeoutMs: number;
  /** Injected clock (JWT exp, Retry-After dates). */
  now: () => number;
}

export type SalesforceEnvResult =
  | { ok: true; settings: SalesforceSettings | undefined }
  | { ok: false; problems: string[] };

export interface SalesforceEnvOptions {
  /** Reads SALESFORCE_PRIVATE_KEY_FILE; injected so tests need no files. */
  readFile?: (path: string) => string;
  now?: () => number;
}

export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
export const DEFAULT_API_VERSION = '62.0';
export const DEFAULT_EXTERNAL_ID_FIELD = 'Opsbot_Incident_Id__c';
export const DEFAULT_TIMEOUT_MS = 15_000;

export const FLOWS: readonly SalesforceAuthFlow[] = ['client_credentials', 'jwt', 'password'];
/** External ids are custom fields, so their API names end in __c. */
export const EXTERNAL_ID_FIELD = /^[A-Za-z][A-Za-z0-9_]*__c$/;
export const API_VERSION = /^\d{2,3}\.\d$/;

/** The env variables a person must check when Salesforce refuses this flow's credentials. */
export function credentialVariables(flow: SalesforceAuthFlow): string {
  switch (flow) {
    case 'client_credentials':
      return 'SALESFORCE_CLIENT_ID/SALESFORCE_CLIENT_SECRET/SALESFORCE_LOGIN_URL';
    case 'jwt':
      return 'SALESFORCE_CLIENT_ID/SALESFORCE_USERNAME/SALESFORCE_PRIVATE_KEY_FILE/SALESFORCE_LOGIN_URL';
    case 'password':
      return 'SALESFORCE_CLIENT_ID/SALESFORCE_CLIENT_SECRET/SALESFORCE_USERNAME/SALESFORCE_PASSWORD';
  }
}

/** Integration off (settings undefined) when SALESFORCE_CLIENT_ID is unset. */
export function salesforceSettingsFromEnv(
  env: Record<string, string | undefined>,
  opts: SalesforceEnvOptions = {},
): SalesforceEnvResult {
  const plain = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  // Secrets are used as given (a password may end in a space); only emptiness is checked.
  const secret = (name: string) => (env[name] === '' ? undefined : env[name]);

  const clientId = plain('SALESFORCE_CLIENT_ID');
  if (clientId === undefined) return { ok: true, settings: undefined };

  const problems: string[] = [];
  const need = (name: string, value: string | undefined, flow: string) => {
    if (value === undefined) problems.push(`${name}: required for SALESFORCE_AUTH_FLOW=${flow}`);
    return value ?? '';
  };

  const flowText = plain('SALESFORCE_AUTH_FLOW') ?? 'client_credentials';
  const flow = FLOWS.find((f) => f === flowText);
  if (!flow) problems.push(`SALESFORCE_AUTH_FLOW: expected one of ${FLOWS.join(', ')}, found '${flowText}'`);

  const loginUrl = parseUrl(
    'SALESFORCE_LOGIN_URL',
    plain('SALESFORCE_LOGIN_URL') ?? DEFAULT_LOGIN_URL,
    problems,
  );
  const instanceText = plain('SALESFORCE_INSTANCE_URL');
  const instanceUrl =
    instanceText === undefined ? undefined : parseUrl('SALESFORCE_INSTANCE_URL', instanceText, problems);

  const apiVersion = plain('SALESFORCE_API_VERSION') ?? DEFAULT_API_VERSION;
  if (!API_VERSION.test(apiVersion)) {
    problems.push(
      `SALESFORCE_API_VERSION: expected a version like ${DEFAULT_API_VERSION}, found '${apiVersion}'`,
    );
  }
  const externalIdField = plain('SALESFORCE_EXTERNAL_ID_FIELD') ?? DEFAULT_EXTERNAL_ID_FIELD;
  if (!EXTERNAL_ID_FIELD.test(externalIdField)) {
    problems.push(
      `SALESFORCE_EXTERNAL_ID_FIELD: expected the API name of a custom Case field ending in __c (like ${DEFAULT_EXTERNAL_ID_FIELD}), found '${externalIdField}'`,
    );
  }
  const timeoutMs = parseTimeout(plain('SALESFORCE_TIMEOUT_MS'), problems);

  let auth: SalesforceAuth | undefined;
  if (flow === 'client_credentials') {
    const clientSecret = need('SALESFORCE_CLIENT_SECRET', secret('SALESFORCE_CLIENT_SECRET'), flow);
    // Salesforce answers this grant only on the org's own My Domain host, never on the shared login hosts.
    const host = loginUrl ? new URL(loginUrl).hostname.toLowerCase() : '';
    if (host === 'login.salesforce.com' || host === 'test.salesforce.com') {
      problems.push(
        `SALESFORCE_LOGIN_URL: the client_credentials flow needs your My Domain URL (https://<name>.my.salesforce.com), not ${host}`,
      );
    }
    auth = { flow, clientId, clientSecret };
  } else if (flow === 'jwt') {
    const username = need('SALESFORCE_USERNAME', plain('SALESFORCE_USERNAME'), flow);
    const keyFile = need('SALESFORCE_PRIVATE_KEY_FILE', plain('SALESFORCE_PRIVATE_KEY_FILE'), flow);
    const privateKeyPem = keyFile === '' ? '' : readPrivateKey(keyFile, opts.readFile, problems);
    auth = { flow, clientId, username, privateKeyPem };
  } else if (flow === 'password') {
    auth = {
      flow,
      clientId,
      clientSecret: need('SALESFORCE_CLIENT_SECRET', secret('SALESFORCE_CLIENT_SECRET'), flow),
      username: need('SALESFORCE_USERNAME', plain('SALESFORCE_USERNAME'), flow),
      password: need('SALESFORCE_PASSWORD', secret('SALESFORCE_PASSWORD'), flow),
    };
  }

  if (problems.length > 0 || !auth || !loginUrl) return { ok: false, problems };
  return {
    ok: true,
    settings: {
      auth,
      loginUrl,
      ...(instanceUrl ? { instanceUrl } : {}),
      apiVersion,
      externalIdField,
      timeoutMs,
      now: opts.now ?? Date.now,
    },
  };
}

function parseUrl(name: string, text: string, problems: string[]): string | undefined {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    problems.push(`${name}: expected an https URL like https://acme.my.salesforce.com, found '${text}'`);
    return undefined;
  }
  if (url.search || url.hash) {
    problems.push(`${name}: expected a URL without ?query or #fragment, found '${text}'`);
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function parseTimeout(text: string | undefined, problems: string[]): number {
  if (text === undefined) return DEFAULT_TIMEOUT_MS;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1000 && value <= 300_000)) {
    problems.push(`SALESFORCE_TIMEOUT_MS: expected milliseconds from 1000 to 300000, found '${text}'`);
    return DEFAULT_TIMEOUT_MS;
  }
  return value;
}

function readPrivateKey(
  path: string,
  readFile: SalesforceEnvOptions['readFile'],
  problems: string[],
): string {
  let pem: string;
  try {
    pem = (readFile ?? ((p: string) => readFileSync(p, 'utf8')))(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    problems.push(`SALESFORCE_PRIVATE_KEY_FILE: cannot read ${path} (${code})`);
    return '';
  }
  // The key text itself never appears in a problem line.
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'rsa') {
      problems.push(
        `SALESFORCE_PRIVATE_KEY_FILE: ${path} holds a ${key.asymmetricKeyType} key; Salesforce needs RSA (RS256)`,
      );
    }
  } catch {
    problems.push(
      `SALESFORCE_PRIVATE_KEY_FILE: ${path} is not an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)`,
    );
  }
  return pem;
}

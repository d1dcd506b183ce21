import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { salesforceSettingsFromEnv } from '../../../src/integrations/salesforce/adapter.js';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const files: Record<string, string> = { '/keys/sf.pem': PEM, '/keys/garbage.pem': 'not a key' };
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return text;
};

describe('salesforceSettingsFromEnv', () => {
  it('is off (no settings, no problems) without SALESFORCE_CLIENT_ID', () => {
    expect(salesforceSettingsFromEnv({})).toEqual({ ok: true, settings: undefined });
    expect(salesforceSettingsFromEnv({ SALESFORCE_CLIENT_ID: '  ', SALESFORCE_CLIENT_SECRET: 'x' })).toEqual({
      ok: true,
      settings: undefined,
    });
  });

  it('reads the client-credentials flow with defaults', () => {
    const now = () => 42;
    const result = salesforceSettingsFromEnv(
      {
        SALESFORCE_CLIENT_ID: '3MVG9client',
        SALESFORCE_CLIENT_SECRET: 'shh',
        SALESFORCE_LOGIN_URL: 'https://acme.my.salesforce.com/',
      },
      { now },
    );
    expect(result).toEqual({
      ok: true,
      settings: {
        auth: { flow: 'client_credentials', clientId: '3MVG9client', clientSecret: 'shh' },
        loginUrl: 'https://acme.my.salesforce.com',
        apiVersion: '62.0',
        externalIdField: 'Opsbot_Incident_Id__c',
        timeoutMs: 15000,
        now,
      },
    });
  });

  it('reads the JWT flow through the injected file reader', () => {
    const result = salesforceSettingsFromEnv(
      {
        SALESFORCE_AUTH_FLOW: 'jwt',
        SALESFORCE_CLIENT_ID: '3MVG9client',
        SALESFORCE_USERNAME: 'opsbot@acme.example',
        SALESFORCE_PRIVATE_KEY_FILE: '/keys/sf.pem',
        SALESFORCE_INSTANCE_URL: 'https://acme.my.salesforce.com',
        SALESFORCE_API_VERSION: '61.0',
        SALESFORCE_EXTERNAL_ID_FIELD: 'Incident_Key__c',
        SALESFORCE_TIMEOUT_MS: '5000',
      },
      { readFile },
    );
    expect(result.ok).toBe(true);
    if (!result.ok || !result.settings) throw new Error('expected settings');
    expect(result.settings.auth).toEqual({
      flow: 'jwt',
      clientId: '3MVG9client',
      username: 'opsbot@acme.example',
      privateKeyPem: PEM,
    });
    expect(result.settings).toMatchObject({
      loginUrl: 'https://login.salesforce.com',
      instanceUrl: 'https://acme.my.salesforce.com',
      apiVersion: '61.0',
      externalIdField: 'Incident_Key__c',
      timeoutMs: 5000,
    });
  });

  it('reports one line per bad variable, never echoing secrets', () => {
    const result = salesforceSettingsFromEnv({
      SALESFORCE_CLIENT_ID: '3MVG9client',
      SALESFORCE_AUTH_FLOW: 'password',
      SALESFORCE_CLIENT_SECRET: 'very-secret-value',
      SALESFORCE_LOGIN_URL: 'ftp://nope',
      SALESFORCE_API_VERSION: 'v62',
      SALESFORCE_EXTERNAL_ID_FIELD: 'Opsbot Incident',
      SALESFORCE_TIMEOUT_MS: '15s',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      "SALESFORCE_LOGIN_URL: expected an https URL like https://acme.my.salesforce.com, found 'ftp://nope'",
      "SALESFORCE_API_VERSION: expected a version like 62.0, found 'v62'",
      "SALESFORCE_EXTERNAL_ID_FIELD: expected the API name of a custom Case field ending in __c (like Opsbot_Incident_Id__c), found 'Opsbot Incident'",
      "SALESFORCE_TIMEOUT_MS: expected milliseconds from 1000 to 300000, found '15s'",
      'SALESFORCE_USERNAME: required for SALESFORCE_AUTH_FLOW=password',
      'SALESFORCE_PASSWORD: required for SALESFORCE_AUTH_FLOW=password',
    ]);
    expect(result.problems.join('\n')).not.toContain('very-secret-value');
  });

  it('names an unknown flow, a missing secret, the shared login host and unreadable keys', () => {
    const flow = salesforceSettingsFromEnv({ SALESFORCE_CLIENT_ID: 'c', SALESFORCE_AUTH_FLOW: 'oauth' });
    expect(flow).toEqual({
      ok: false,
      problems: ["SALESFORCE_AUTH_FLOW: expected one of client_credentials, jwt, password, found 'oauth'"],
    });

    const cc = salesforceSettingsFromEnv({ SALESFORCE_CLIENT_ID: 'c' });
    expect(cc).toEqual({
      ok: false,
      problems: [
        'SALESFORCE_CLIENT_SECRET: required for SALESFORCE_AUTH_FLOW=client_credentials',
        'SALESFORCE_LOGIN_URL: the client_credentials flow needs your My Domain URL (https://<name>.my.salesforce.com), not login.salesforce.com',
      ],
    });

    const missingKey = salesforceSettingsFromEnv(
      {
        SALESFORCE_CLIENT_ID: 'c',
        SALESFORCE_AUTH_FLOW: 'jwt',
        SALESFORCE_USERNAME: 'u',
        SALESFORCE_PRIVATE_KEY_FILE: '/keys/none.pem',
      },
      { readFile },
    );
    expect(missingKey).toEqual({
      ok: false,
      problems: ['SALESFORCE_PRIVATE_KEY_FILE: cannot read /keys/none.pem (ENOENT)'],
    });

    const garbage = salesforceSettingsFromEnv(
      {
        SALESFORCE_CLIENT_ID: 'c',
        SALESFORCE_AUTH_FLOW: 'jwt',
        SALESFORCE_USERNAME: 'u',
        SALESFORCE_PRIVATE_KEY_FILE: '/keys/garbage.pem',
      },
      { readFile },
    );
    expect(garbage.ok).toBe(false);
    if (!garbage.ok) {
      expect(garbage.problems).toEqual([
        expect.stringMatching(
          /^SALESFORCE_PRIVATE_KEY_FILE: \/keys\/garbage\.pem is not an unencrypted PEM private key/,
        ),
      ]);
      expect(garbage.problems[0]).not.toContain('not a key');
    }
  });
});

// The real adapter end to end against the in-process Salesforce stand-in (real HTTP on loopback).
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTEGRATION_USER, SalesforceStandIn } from '../../../sandbox/salesforce-standin/index.js';
import type { CaseFields } from '../../../src/integrations/ports.js';
import {
  SalesforceCaseTracker,
  type SalesforceSettings,
} from '../../../src/integrations/salesforce/adapter.js';
import { PermanentError, RetryableError } from '../../../src/jobs/errors.js';

const ACCOUNT = '001Hs00000AbCdEIAZ';
const OTHER_ACCOUNT = '001Hs00000XyZabIAB';
const T0 = Date.parse('2024-05-01T12:00:00.000Z');

let now = T0;
const clock = () => now;
let sf: SalesforceStandIn;

function settings(overrides: Partial<SalesforceSettings> = {}): SalesforceSettings {
  return {
    auth: { flow: 'client_credentials', clientId: 'opsbot-client', clientSecret: 'opsbot-secret' },
    loginUrl: sf.url,
    apiVersion: '62.0',
    externalIdField: 'Opsbot_Incident_Id__c',
    timeoutMs: 2_000,
    now: clock,
    ...overrides,
  };
}

const fields = (overrides: Partial<CaseFields> = {}): CaseFields => ({
  subject: 'Sev1: cluster c-17 degraded',
  description: 'Alarm storm on c-17',
  priority: 'High',
  status: 'New',
  origin: 'Slack',
  accountId: ACCOUNT,
  extra: { Product__c: 'VAST' },
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

beforeEach(async () => {
  now = T0;
  sf = await SalesforceStandIn.start({
    accounts: [ACCOUNT, OTHER_ACCOUNT],
    now: clock,
    credentials: { clientId: 'opsbot-client', clientSecret: 'opsbot-secret' },
  });
});

afterEach(async () => {
  await sf.stop();
});

describe('adapter ↔ stand-in', () => {
  it('creates a case, then upserting the same incident finds the same case', async () => {
    const tracker = new SalesforceCaseTracker(settings());
    const first = await tracker.upsertCase('nimbus/INC-42', fields());
    expect(first).toMatchObject({ caseNumber: '00001001', created: true });
    expect(first.id).toMatch(/^500[a-zA-Z0-9]{15}$/);
    expect(first.url).toBe(`${sf.url}/lightning/r/Case/${first.id}/view`);

    now += 60_000;
    const again = await tracker.upsertCase('nimbus/INC-42', fields({ priority: 'Critical' }));
    expect(again).toEqual({ ...first, created: false });

    const cases = sf.cases();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      Id: first.id,
      AccountId: ACCOUNT,
      Subject: 'Sev1: cluster c-17 degraded',
      Priority: 'Critical',
      Origin: 'Slack',
      custom: { Opsbot_Incident_Id__c: 'nimbus/INC-42', Product__c: 'VAST' },
    });
    // The external id travelled URL-encoded in the path.
    expect(sf.calls.map((c) => `${c.method} ${c.path.split('?')[0]} ${c.status}`)).toEqual([
      'POST /services/oauth2/token 200',
      'PATCH /services/data/v62.0/sobjects/Case/Opsbot_Incident_Id__c/nimbus%2FINC-42 201',
      `GET /services/data/v62.0/sobjects/Case/${first.id} 200`,
      'PATCH /services/data/v62.0/sobjects/Case/Opsbot_Incident_Id__c/nimbus%2FINC-42 204',
      'GET /services/data/v62.0/sobjects/Case/Opsbot_Incident_Id__c/nimbus%2FINC-42 200',
    ]);
  });

  it('comments and status updates land on the case', async () => {
    const tracker = new SalesforceCaseTracker(settings());
    const ref = await tracker.upsertCase('INC-7', fields());
    await tracker.addComment(ref.id, 'Acknowledged by @dana in Slack');
    await tracker.setStatus(ref.id, 'Closed');
    expect(sf.comments()).toEqual([
      expect.objectContaining({ ParentId: ref.id, CommentBody: 'Acknowledged by @dana in Slack' }),
    ]);
    expect(sf.cases()[0]?.Status).toBe('Closed');
  });

  it('what a person changes in Salesforce shows in changedSince, inside its window only', async () => {
    const tracker = new SalesforceCaseTracker(settings());
    const ref = await tracker.upsertCase('INC-9', fields());
    await tracker.upsertCase('INC-10', fields({ accountId: OTHER_ACCOUNT }));

    now = T0 + 10 * 60_000;
    const pollFrom = now;
    now += 30_000;
    sf.humanUpdate(ref.id, { Status: 'Working', Priority: 'Critical', OwnerName: 'Dana Support' });
    now += 30_000;

    expect(await tracker.changedSince([ACCOUNT], pollFrom, now)).toEqual([
      {
        id: ref.id,
        caseNumber: ref.caseNumber,
        externalId: 'INC-9',
        status: 'Working',
        priority: 'Critical',
        ownerName: 'Dana Support',
        lastModified: T0 + 10 * 60_000 + 30_000,
        accountId: ACCOUNT,
        origin: 'Slack',
        subject: 'Sev1: cluster c-17 degraded',
        created: expect.any(Number),
      },
    ]);
    // Before the change, and for another account, nothing.
    expect(await tracker.changedSince([ACCOUNT], T0 + 60_000, pollFrom)).toEqual([]);
    expect(await tracker.changedSince([OTHER_ACCOUNT], pollFrom, now)).toEqual([]);
    // The creation window sees both accounts' cases, oldest first.
    const created = await tracker.changedSince([ACCOUNT, OTHER_ACCOUNT], T0, T0 + 1_000);
    expect(created.map((c) => [c.externalId, c.ownerName])).toEqual([['INC-10', INTEGRATION_USER]]);
  });

  it('an unknown account is a PermanentError naming the config key, and no case is created', async () => {
    const tracker = new SalesforceCaseTracker(settings(), { context: { tenantId: 'nimbus' } });
    const error = await failure(tracker.upsertCase('INC-1', fields({ accountId: '001Hs00000NoSuchAA' })));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toBe(
      'Account 001Hs00000NoSuchAA not found — check tenants.nimbus.salesforce.accountId in the config',
    );
    expect(sf.cases()).toEqual([]);
  });

  it('an expired session is renewed transparently', async () => {
    const tracker = new SalesforceCaseTracker(settings());
    const ref = await tracker.upsertCase('INC-3', fields());
    sf.expireTokens();
    sf.clearCalls();
    await tracker.setStatus(ref.id, 'Working');
    expect(sf.calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
      `PATCH /services/data/v62.0/sobjects/Case/${ref.id} 401`,
      'POST /services/oauth2/token 200',
      `PATCH /services/data/v62.0/sobjects/Case/${ref.id} 204`,
    ]);
    expect(sf.calls[1]?.body).toMatchObject({
      grant_type: 'client_credentials',
      client_secret: '[REDACTED]',
    });
  });

  it('30 consecutive 503s: every call is a RetryableError, then one success and exactly one case', async () => {
    const tracker = new SalesforceCaseTracker(settings());
    sf.failNext({}, { status: 503, times: 30 });
    let retryable = 0;
    let ref: Awaited<ReturnType<typeof tracker.upsertCase>> | undefined;
    for (let attempt = 0; attempt < 40 && !ref; attempt += 1) {
      try {
        ref = await tracker.upsertCase('INC-storm', fields());
      } catch (error) {
        expect(error).toBeInstanceOf(RetryableError);
        retryable += 1;
      }
    }
    expect(retryable).toBe(30);
    expect(ref?.created).toBe(true);
    expect(sf.cases()).toHaveLength(1);
  });

  it('setDown answers 503 to everything until recovered; Retry-After is passed on', async () => {
    const tracker = new SalesforceCaseTracker(settings());
    sf.setDown(true);
    expect(await failure(tracker.upsertCase('INC-5', fields()))).toBeInstanceOf(RetryableError);
    sf.setDown(false);
    await tracker.upsertCase('INC-5', fields());

    sf.failNext({ method: 'PATCH', path: /\/sobjects\/Case\// }, { status: 403, retryAfterSec: 30 });
    const limited = await failure(tracker.upsertCase('INC-5', fields()));
    expect(limited).toMatchObject({ name: 'RetryableError', rateLimited: true, retryAfterMs: 30_000 });
  });

  it('a hanging answer is a RetryableError after the timeout', async () => {
    const tracker = new SalesforceCaseTracker(settings({ timeoutMs: 300 }));
    await tracker.upsertCase('INC-6', fields());
    sf.failNext(
      { path: /\/query\?/ },
      { status: 200, body: { totalSize: 0, done: true, records: [] }, delayMs: 5_000 },
    );
    const started = Date.now();
    const error = await failure(tracker.changedSince([ACCOUNT], T0, T0 + 60_000));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('JWT bearer flow: the stand-in verifies the assertion against the public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await sf.stop();
    sf = await SalesforceStandIn.start({
      accounts: [ACCOUNT],
      now: clock,
      credentials: {
        clientId: 'opsbot-client',
        username: 'opsbot@acme.example',
        jwtPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    const jwt = (pem: string) =>
      new SalesforceCaseTracker(
        settings({
          auth: {
            flow: 'jwt',
            clientId: 'opsbot-client',
            username: 'opsbot@acme.example',
            privateKeyPem: pem,
          },
        }),
      );
    const ref = await jwt(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()).upsertCase(
      'INC-J',
      fields(),
    );
    expect(ref.created).toBe(true);

    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const error = await failure(
      jwt(stranger.export({ type: 'pkcs8', format: 'pem' }).toString()).upsertCase('INC-J', fields()),
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(
      /^Salesforce rejected the credentials: check SALESFORCE_CLIENT_ID\/SALESFORCE_USERNAME/,
    );
  });

  it('password flow and wrong secrets', async () => {
    await sf.stop();
    sf = await SalesforceStandIn.start({
      accounts: [ACCOUNT],
      now: clock,
      credentials: { clientId: 'cid', clientSecret: 'csec', username: 'opsbot@acme.example', password: 'pw' },
    });
    const auth = (password: string) =>
      settings({
        auth: {
          flow: 'password',
          clientId: 'cid',
          clientSecret: 'csec',
          username: 'opsbot@acme.example',
          password,
        },
      });
    expect((await new SalesforceCaseTracker(auth('pw')).upsertCase('INC-P', fields())).created).toBe(true);
    const error = await failure(
      new SalesforceCaseTracker(auth('nope')).setStatus(sf.cases()[0]?.Id ?? '', 'Closed'),
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toMatch(/SALESFORCE_USERNAME and SALESFORCE_PASSWORD/);
  });

  it('a wrong external-id field is a PermanentError saying how to fix it', async () => {
    const tracker = new SalesforceCaseTracker(settings({ externalIdField: 'Incident_Key__c' }));
    const error = await failure(tracker.upsertCase('INC-1', fields()));
    expect((error as PermanentError).hint).toBe(
      'the external-id field Incident_Key__c does not exist on Case — create it (Text, External ID, Unique) or set SALESFORCE_EXTERNAL_ID_FIELD',
    );
  });
});

describe('stand-in SOQL', () => {
  it('treats an escaped injection as a literal and refuses date filters given as strings', async () => {
    const tracker = new SalesforceCaseTracker(settings());
    await tracker.upsertCase("it's ' OR Name LIKE '%", fields());
    const token = await (
      await fetch(`${sf.url}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=opsbot-client&client_secret=opsbot-secret',
      })
    ).json();
    const query = async (q: string) => {
      const res = await fetch(`${sf.url}/services/data/v62.0/query?q=${encodeURIComponent(q)}`, {
        headers: { authorization: `Bearer ${(token as { access_token: string }).access_token}` },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    const literal = await query(
      "SELECT Id FROM Case WHERE Opsbot_Incident_Id__c = 'it\\'s \\' OR Name LIKE \\'%'",
    );
    expect(literal).toMatchObject({ status: 200, body: { totalSize: 1 } });

    const injected = await query("SELECT Id FROM Case WHERE Opsbot_Incident_Id__c = '' OR Name LIKE '%'");
    expect(injected).toMatchObject({ status: 400, body: [{ errorCode: 'MALFORMED_QUERY' }] });

    const quotedDate = await query("SELECT Id FROM Case WHERE LastModifiedDate >= '2024-05-01T00:00:00Z'");
    expect(quotedDate).toMatchObject({ status: 400, body: [{ errorCode: 'INVALID_FIELD' }] });
  });
});

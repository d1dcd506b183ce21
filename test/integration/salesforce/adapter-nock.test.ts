// The adapter against Salesforce's documented REST shapes, pinned with nock: method, path
// (external id URL-encoded), body and headers of every call, and how each failure is typed.
import { createVerify, generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseFields } from '../../../src/integrations/ports.js';
import {
  SalesforceCaseTracker,
  type SalesforceSettings,
} from '../../../src/integrations/salesforce/adapter.js';
import { jwtAudience } from '../../../src/integrations/salesforce/jwt.js';
import { PermanentError, RetryableError } from '../../../src/jobs/errors.js';
import { memoryLogger } from '../../helpers/logger.js';

const LOGIN = 'https://login.example-sf.test';
const INSTANCE = 'https://acme.my.example-sf.test';
const API = '/services/data/v62.0';
const NOW = Date.parse('2024-05-01T12:00:00.000Z');
const EXT = 'Opsbot_Incident_Id__c';
const ACCOUNT = '001Hs00000AbCdEIAZ';
const CASE_ID = '500Hs00000Qw12AIAR';
const SECRET = 'client-secret-do-not-log';

function settings(overrides: Partial<SalesforceSettings> = {}): SalesforceSettings {
  return {
    auth: { flow: 'client_credentials', clientId: '3MVG9.test-client', clientSecret: SECRET },
    loginUrl: LOGIN,
    apiVersion: '62.0',
    externalIdField: EXT,
    timeoutMs: 1_000,
    now: () => NOW,
    ...overrides,
  };
}

const fields: CaseFields = {
  subject: 'Sev1: cluster c-17 degraded',
  description: 'Alarm storm on c-17',
  priority: 'Critical',
  status: 'New',
  origin: 'Slack',
  accountId: ACCOUNT,
  extra: { Product__c: 'VAST' },
};

/** Salesforce's client-credentials answer. */
function tokenAnswer(token: string) {
  return {
    access_token: token,
    signature: 'c2lnbmF0dXJl',
    scope: 'api',
    instance_url: INSTANCE,
    id: `${LOGIN}/id/00DHs000000AbCdEAK/005Hs000000XyZaIAK`,
    token_type: 'Bearer',
    issued_at: String(NOW),
  };
}

function expectToken(token = '00DHs!AQ.token-1') {
  return nock(LOGIN)
    .post('/services/oauth2/token', {
      grant_type: 'client_credentials',
      client_id: '3MVG9.test-client',
      client_secret: SECRET,
    })
    .reply(200, tokenAnswer(token));
}

function api(token = '00DHs!AQ.token-1') {
  return nock(INSTANCE, { reqheaders: { authorization: `Bearer ${token}` } });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

afterEach(() => {
  nock.cleanAll();
});

describe('authentication', () => {
  it('client credentials: posts the grant as a form to <loginUrl>/services/oauth2/token and uses the token', async () => {
    const token = expectToken();
    const update = api()
      .patch(`${API}/sobjects/Case/${CASE_ID}`, { Status: 'Closed' })
      .matchHeader('content-type', 'application/json')
      .reply(204);
    await new SalesforceCaseTracker(settings()).setStatus(CASE_ID, 'Closed');
    token.done();
    update.done();
  });

  it('JWT bearer: the assertion is an RS256 JWT with iss, sub, aud and exp, signed by the private key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let assertion = '';
    const token = nock(LOGIN)
      .post('/services/oauth2/token', (body: Record<string, string>) => {
        assertion = body.assertion ?? '';
        return (
          body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && Object.keys(body).length === 2
        );
      })
      .reply(200, {
        access_token: 'jwt-token',
        scope: 'api',
        instance_url: INSTANCE,
        id: 'x',
        token_type: 'Bearer',
      });
    const update = api('jwt-token').patch(`${API}/sobjects/Case/${CASE_ID}`).reply(204);

    const tracker = new SalesforceCaseTracker(
      settings({
        auth: {
          flow: 'jwt',
          clientId: '3MVG9.test-client',
          username: 'opsbot@acme.example',
          privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        },
      }),
    );
    await tracker.setStatus(CASE_ID, 'Working');
    token.done();
    update.done();

    const [header, claims, signature] = assertion.split('.');
    expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toEqual({
      iss: '3MVG9.test-client',
      sub: 'opsbot@acme.example',
      aud: LOGIN,
      exp: NOW / 1000 + 120,
    });
    const valid = createVerify('RSA-SHA256')
      .update(`${header}.${claims}`)
      .verify(publicKey, Buffer.from(signature ?? '', 'base64url'));
    expect(valid).toBe(true);
  });

  it('JWT audience is the authorization server for Salesforce hosts', () => {
    expect(jwtAudience('https://login.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://acme.my.site.com/customers/')).toBe('https://acme.my.site.com/customers');
  });

  it('password flow posts username and password with the client credentials', async () => {
    const token = nock(LOGIN)
      .post('/services/oauth2/token', {
        grant_type: 'password',
        client_id: 'cid',
        client_secret: 'csec',
        username: 'opsbot@acme.example',
        password: 'pw+token',
      })
      .reply(200, tokenAnswer('pw-token'));
    const update = api('pw-token').patch(`${API}/sobjects/Case/${CASE_ID}`).reply(204);
    const tracker = new SalesforceCaseTracker(
      settings({
        auth: {
          flow: 'password',
          clientId: 'cid',
          clientSecret: 'csec',
          username: 'opsbot@acme.example',
          password: 'pw+token',
        },
      }),
    );
    await tracker.setStatus(CASE_ID, 'Working');
    token.done();
    update.done();
  });

  it('instanceUrl in the settings overrides the token answer', async () => {
    const token = expectToken();
    const other = 'https://acme-proxy.example-sf.test';
    const update = nock(other).patch(`${API}/sobjects/Case/${CASE_ID}`).reply(204);
    await new SalesforceCaseTracker(settings({ instanceUrl: `${other}/` })).setStatus(CASE_ID, 'Working');
    token.done();
    update.done();
  });

  it('refused client credentials at the token endpoint are a PermanentError naming the variables', async () => {
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(400, { error: 'invalid_client', error_description: 'invalid client credentials' });
    const error = await failure(new SalesforceCaseTracker(settings()).setStatus(CASE_ID, 'Closed'));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).message).toMatch(
      /^Salesforce rejected the credentials: check SALESFORCE_CLIENT_ID\/SALESFORCE_CLIENT_SECRET\/SALESFORCE_LOGIN_URL/,
    );
    expect((error as PermanentError).hint).toMatch(/Consumer Key into SALESFORCE_CLIENT_ID/);
    expect((error as PermanentError).message).not.toContain(SECRET);
  });

  it('a token endpoint outage is a RetryableError, and the next call signs in again', async () => {
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(503, '<html>down</html>', { 'content-type': 'text/html' });
    const tracker = new SalesforceCaseTracker(settings());
    expect(await failure(tracker.setStatus(CASE_ID, 'Closed'))).toBeInstanceOf(RetryableError);

    const token = expectToken();
    const update = api().patch(`${API}/sobjects/Case/${CASE_ID}`).reply(204);
    await tracker.setStatus(CASE_ID, 'Closed');
    token.done();
    update.done();
  });
});

describe('records', () => {
  it('upsert answered 201: PATCH by URL-encoded external id, then reads the CaseNumber by id', async () => {
    const externalId = 'nimbus/INC 42?x=1&y';
    const token = expectToken();
    const upsert = api()
      .patch(`${API}/sobjects/Case/${EXT}/nimbus%2FINC%2042%3Fx%3D1%26y`, {
        Product__c: 'VAST',
        Subject: fields.subject,
        Description: fields.description,
        Priority: 'Critical',
        Status: 'New',
        Origin: 'Slack',
        AccountId: ACCOUNT,
      })
      .reply(201, { id: CASE_ID, success: true, errors: [], created: true });
    const read = api()
      .get(`${API}/sobjects/Case/${CASE_ID}`)
      .query({ fields: 'Id,CaseNumber' })
      .reply(200, { attributes: { type: 'Case' }, Id: CASE_ID, CaseNumber: '00001234' });

    const ref = await new SalesforceCaseTracker(settings()).upsertCase(externalId, fields);
    expect(ref).toEqual({
      id: CASE_ID,
      caseNumber: '00001234',
      url: `${INSTANCE}/lightning/r/Case/${CASE_ID}/view`,
      created: true,
    });
    token.done();
    upsert.done();
    read.done();
  });

  it('upsert answered 204 (existing case, no body): created false, id and number read by external id', async () => {
    expectToken();
    const upsert = api().patch(`${API}/sobjects/Case/${EXT}/INC-42`).reply(204);
    const read = api()
      .get(`${API}/sobjects/Case/${EXT}/INC-42`)
      .query({ fields: 'Id,CaseNumber' })
      .reply(200, { attributes: { type: 'Case' }, Id: CASE_ID, CaseNumber: '00001234' });
    const ref = await new SalesforceCaseTracker(settings()).upsertCase('INC-42', fields);
    expect(ref).toEqual({
      id: CASE_ID,
      caseNumber: '00001234',
      url: `${INSTANCE}/lightning/r/Case/${CASE_ID}/view`,
      created: false,
    });
    upsert.done();
    read.done();
  });

  it('upsert answered 200 with created:false (newer API versions): created false', async () => {
    expectToken();
    api()
      .patch(`${API}/sobjects/Case/${EXT}/INC-42`)
      .reply(200, { id: CASE_ID, success: true, errors: [], created: false });
    const read = api()
      .get(`${API}/sobjects/Case/${CASE_ID}`)
      .query({ fields: 'Id,CaseNumber' })
      .reply(200, { Id: CASE_ID, CaseNumber: '00001234' });
    const ref = await new SalesforceCaseTracker(settings()).upsertCase('INC-42', fields);
    expect(ref.created).toBe(false);
    read.done();
  });

  it('CaseComment: POST /sobjects/CaseComment with ParentId and CommentBody', async () => {
    expectToken();
    const comment = api()
      .post(`${API}/sobjects/CaseComment`, {
        ParentId: CASE_ID,
        CommentBody: 'Acknowledged by @dana in Slack',
      })
      .reply(201, { id: '00aHs00000Ab12AIAB', success: true, errors: [] });
    await new SalesforceCaseTracker(settings()).addComment(CASE_ID, 'Acknowledged by @dana in Slack');
    comment.done();
  });

  it('changedSince sends the exact SOQL and maps the records, following nextRecordsUrl', async () => {
    expectToken();
    const q =
      "SELECT Id, CaseNumber, Status, Priority, Owner.Name, LastModifiedDate, Opsbot_Incident_Id__c, AccountId, Origin, Subject, CreatedDate FROM Case WHERE AccountId IN ('001Hs00000AbCdEIAZ') AND LastModifiedDate >= 2024-05-01T11:55:00Z AND LastModifiedDate < 2024-05-01T12:00:00Z ORDER BY LastModifiedDate";
    const row = (id: string, ext: string | null, owner: string | null, at: string) => ({
      attributes: { type: 'Case', url: `${API}/sobjects/Case/${id}` },
      Id: id,
      CaseNumber: '00001234',
      Status: 'Working',
      Priority: 'High',
      Owner: owner === null ? null : { attributes: { type: 'Name' }, Name: owner },
      LastModifiedDate: at,
      Opsbot_Incident_Id__c: ext,
    });
    const query = api()
      .get(`${API}/query`)
      .query({ q })
      .reply(200, {
        totalSize: 2,
        done: false,
        nextRecordsUrl: `${API}/query/01gHs00000ABC-2000`,
        records: [row(CASE_ID, 'INC-42', 'Dana Support', '2024-05-01T11:56:07.000+0000')],
      });
    const next = api()
      .get(`${API}/query/01gHs00000ABC-2000`)
      .reply(200, {
        totalSize: 2,
        done: true,
        records: [row('500Hs00000Qw13AIAR', null, null, '2024-05-01T11:58:00.000+0000')],
      });

    const changes = await new SalesforceCaseTracker(settings()).changedSince(
      [ACCOUNT, ACCOUNT],
      NOW - 5 * 60_000,
      NOW,
    );
    expect(changes).toEqual([
      {
        id: CASE_ID,
        caseNumber: '00001234',
        externalId: 'INC-42',
        status: 'Working',
        priority: 'High',
        ownerName: 'Dana Support',
        lastModified: Date.parse('2024-05-01T11:56:07.000Z'),
        accountId: null,
        origin: null,
        subject: null,
        created: null,
      },
      {
        id: '500Hs00000Qw13AIAR',
        caseNumber: '00001234',
        externalId: null,
        status: 'Working',
        priority: 'High',
        ownerName: null,
        lastModified: Date.parse('2024-05-01T11:58:00.000Z'),
        accountId: null,
        origin: null,
        subject: null,
        created: null,
      },
    ]);
    query.done();
    next.done();
  });

  it('changedSince with no accounts or an empty window makes no call', async () => {
    const tracker = new SalesforceCaseTracker(settings());
    expect(await tracker.changedSince([], NOW - 1000, NOW)).toEqual([]);
    expect(await tracker.changedSince([ACCOUNT], NOW, NOW + 500)).toEqual([]);
  });

  it('an injection attempt as an account id is refused before any call', async () => {
    const error = await failure(
      new SalesforceCaseTracker(settings()).changedSince(["' OR Name LIKE '%"], NOW - 1000, NOW),
    );
    expect(error).toBeInstanceOf(PermanentError);
  });
});

describe('error mapping', () => {
  it('401 INVALID_SESSION_ID: signs in again once and repeats the call', async () => {
    const tokens = nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(200, tokenAnswer('token-1'))
      .post('/services/oauth2/token')
      .reply(200, tokenAnswer('token-2'));
    const expired = api('token-1')
      .patch(`${API}/sobjects/Case/${CASE_ID}`)
      .reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const repeated = api('token-2').patch(`${API}/sobjects/Case/${CASE_ID}`, { Status: 'Closed' }).reply(204);
    await new SalesforceCaseTracker(settings()).setStatus(CASE_ID, 'Closed');
    tokens.done();
    expired.done();
    repeated.done();
  });

  it('a second 401 after signing in again is a PermanentError about the credentials', async () => {
    let patches = 0;
    nock(LOGIN).post('/services/oauth2/token').twice().reply(200, tokenAnswer('token-x'));
    nock(INSTANCE)
      .patch(`${API}/sobjects/Case/${CASE_ID}`)
      .times(3)
      .reply(() => {
        patches += 1;
        return [401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]];
      });
    const error = await failure(new SalesforceCaseTracker(settings()).setStatus(CASE_ID, 'Closed'));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(
      /^Salesforce rejected the credentials: check SALESFORCE_CLIENT_ID\//,
    );
    expect(patches).toBe(2);
  });

  it('403 REQUEST_LIMIT_EXCEEDED is a rate-limited RetryableError (Retry-After honoured when sent)', async () => {
    expectToken();
    api()
      .post(`${API}/sobjects/CaseComment`)
      .reply(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], {
        'Retry-After': '120',
      });
    const error = await failure(new SalesforceCaseTracker(settings()).addComment(CASE_ID, 'x'));
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ rateLimited: true, retryAfterMs: 120_000 });
  });

  it('503 SERVER_UNAVAILABLE is a RetryableError, answered after exactly one request (no hidden retries)', async () => {
    let queries = 0;
    expectToken();
    nock(INSTANCE)
      .get(`${API}/query`)
      .query(true)
      .times(6)
      .reply(() => {
        queries += 1;
        return [503, [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }]];
      });
    const error = await failure(
      new SalesforceCaseTracker(settings()).changedSince([ACCOUNT], NOW - 60_000, NOW),
    );
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ rateLimited: false, retryAfterMs: undefined });
    expect(queries).toBe(1);
  });

  it('a timeout is a RetryableError', async () => {
    expectToken();
    // Salesforce never answers. (Not nock's .delay(): it delays only the body, and aborting a
    // request whose mocked body is still coming trips an assertion inside undici.)
    api()
      .get(`${API}/query`)
      .query(true)
      .reply(200, () => new Promise<never>(() => undefined));
    const started = Date.now();
    const tracker = new SalesforceCaseTracker(settings({ timeoutMs: 200 }));
    const error = await failure(tracker.changedSince([ACCOUNT], NOW - 60_000, NOW));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(/timed out after 200 ms/);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('a network error is a RetryableError', async () => {
    expectToken();
    api()
      .patch(`${API}/sobjects/Case/${CASE_ID}`)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = await failure(new SalesforceCaseTracker(settings()).setStatus(CASE_ID, 'Closed'));
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(
      /could not reach Salesforce: fetch failed: socket hang up \(ECONNRESET\)/,
    );
  });

  it('INVALID_CROSS_REFERENCE_KEY on AccountId is a PermanentError whose hint names the config key', async () => {
    expectToken();
    api()
      .patch(`${API}/sobjects/Case/${EXT}/INC-42`)
      .reply(400, [
        {
          message: 'invalid cross reference id',
          errorCode: 'INVALID_CROSS_REFERENCE_KEY',
          fields: ['AccountId'],
        },
      ]);
    const tracker = new SalesforceCaseTracker(settings());
    const error = await failure(tracker.forTenant('nimbus').upsertCase('INC-42', fields));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toBe(
      `Account ${ACCOUNT} not found — check tenants.nimbus.salesforce.accountId in the config`,
    );
  });

  it('the missing external-id field is a PermanentError saying how to create it', async () => {
    expectToken();
    api()
      .patch(`${API}/sobjects/Case/${EXT}/INC-42`)
      .reply(404, [
        {
          message: `Provided external ID field does not exist or is not accessible: ${EXT}`,
          errorCode: 'NOT_FOUND',
        },
      ]);
    const error = await failure(new SalesforceCaseTracker(settings()).upsertCase('INC-42', fields));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).hint).toBe(
      'the external-id field Opsbot_Incident_Id__c does not exist on Case — create it (Text, External ID, Unique) or set SALESFORCE_EXTERNAL_ID_FIELD',
    );

    expectToken();
    api()
      .get(`${API}/query`)
      .query(true)
      .reply(400, [
        {
          message: `SELECT Id, CaseNumber ... LastModifiedDate, ${EXT}\n                                   ^\nERROR at Row:1:Column:69\nNo such column '${EXT}' on entity 'Case'.`,
          errorCode: 'INVALID_FIELD',
        },
      ]);
    const queryError = await failure(
      new SalesforceCaseTracker(settings()).changedSince([ACCOUNT], NOW - 60_000, NOW),
    );
    expect((queryError as PermanentError).hint).toMatch(
      /^the external-id field Opsbot_Incident_Id__c does not exist on Case/,
    );
  });

  it('validation errors become PermanentErrors with plain-words hints', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        [
          {
            message: 'Required fields are missing: [Product__c]',
            errorCode: 'REQUIRED_FIELD_MISSING',
            fields: ['Product__c'],
          },
        ],
        /^Salesforce requires Product__c on Case — set it in tenants\.<tenant>\.salesforce\.extraFields/,
      ],
      [
        [
          {
            message: 'Severity must be set for P1 cases',
            errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
            fields: [],
          },
        ],
        /validation rule on Case refused the record \("Severity must be set for P1 cases"\)/,
      ],
      [
        [
          {
            message: "No such column 'Productt__c' on sobject of type Case",
            errorCode: 'INVALID_FIELD',
            fields: [],
          },
        ],
        /the Case field Productt__c does not exist .*\.extraFields/,
      ],
      [
        [
          {
            message: 'bad value for restricted picklist field: Critical',
            errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
            fields: ['Priority'],
          },
        ],
        /^Priority does not accept this value — .* tenants\.<tenant>\.salesforce\.priorities/,
      ],
    ];
    for (const [body, hint] of cases) {
      expectToken();
      api()
        .patch(`${API}/sobjects/Case/${EXT}/INC-42`)
        .reply(400, body as nock.Body);
      const error = await failure(new SalesforceCaseTracker(settings()).upsertCase('INC-42', fields));
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).hint).toMatch(hint);
    }
  });

  it('UNABLE_TO_LOCK_ROW (a 400 that heals) is a RetryableError', async () => {
    expectToken();
    api()
      .patch(`${API}/sobjects/Case/${CASE_ID}`)
      .reply(400, [
        {
          message: 'unable to obtain exclusive access to this record',
          errorCode: 'UNABLE_TO_LOCK_ROW',
          fields: [],
        },
      ]);
    expect(await failure(new SalesforceCaseTracker(settings()).setStatus(CASE_ID, 'Closed'))).toBeInstanceOf(
      RetryableError,
    );
  });
});

describe('logging', () => {
  it('logs calls without access tokens or secrets', async () => {
    const { logger, lines } = memoryLogger('debug');
    nock(LOGIN).post('/services/oauth2/token').reply(200, tokenAnswer('00DHs!AQ.secret-token-value'));
    nock(INSTANCE)
      .patch(`${API}/sobjects/Case/${CASE_ID}`)
      .reply(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    nock(LOGIN)
      .post('/services/oauth2/token')
      .reply(400, { error: 'invalid_grant', error_description: 'authentication failure' });
    await failure(new SalesforceCaseTracker(settings(), { logger }).setStatus(CASE_ID, 'Closed'));
    const text = lines.join('\n');
    expect(text).toContain('salesforce: signed in');
    expect(text).toContain('salesforce: session expired; signing in again');
    expect(text).not.toContain('secret-token-value');
    expect(text).not.toContain(SECRET);
  });
});

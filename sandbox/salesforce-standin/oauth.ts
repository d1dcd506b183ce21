// POST /services/oauth2/token for the three grants opsbot uses: client_credentials, the JWT
// bearer grant (assertion decoded and checked; signature verified when a public key is given)
// and the password grant. Answers carry the same fields as Salesforce's.
import { createHmac, createVerify, randomBytes } from 'node:crypto';
import { salesforceId } from './ids.js';
import type { ApiResult } from './org.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** When a field is set, the token endpoint insists on it; unset fields accept any non-empty value. */
export interface StandInCredentials {
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** PEM public key (or certificate) matching the JWT signing key. */
  jwtPublicKeyPem?: string;
}

export interface TokenContext {
  /** Base URL of the stand-in: instance_url and the expected JWT audience. */
  url: string;
  now: () => number;
  credentials: StandInCredentials;
  /** Registers a new access token and returns it. */
  issue: () => string;
}

const ORG_ID = salesforceId('00D', 1);
const USER_ID = salesforceId('005', 1);
/** Signs answers when no client secret is known (JWT grant), as Salesforce uses a server key. */
const SERVER_SECRET = randomBytes(32).toString('hex');

const refuse = (error: string, description: string): ApiResult => ({
  status: 400,
  body: { error, error_description: description },
});

export function tokenEndpoint(
  form: URLSearchParams,
  authorization: string | undefined,
  ctx: TokenContext,
): ApiResult {
  const basic = decodeBasic(authorization);
  const clientId = form.get('client_id') ?? basic?.id ?? '';
  const clientSecret = form.get('client_secret') ?? basic?.secret ?? '';
  const expect = ctx.credentials;
  const grant = form.get('grant_type');

  if (grant === 'client_credentials' || grant === 'password') {
    if (clientId === '' || (expect.clientId !== undefined && clientId !== expect.clientId)) {
      return refuse('invalid_client_id', 'client identifier invalid');
    }
    if (clientSecret === '' || (expect.clientSecret !== undefined && clientSecret !== expect.clientSecret)) {
      return refuse('invalid_client', 'invalid client credentials');
    }
    if (grant === 'password') {
      const username = form.get('username') ?? '';
      const password = form.get('password') ?? '';
      const wrongUser = username === '' || (expect.username !== undefined && username !== expect.username);
      const wrongPassword =
        password === '' || (expect.password !== undefined && password !== expect.password);
      if (wrongUser || wrongPassword) return refuse('invalid_grant', 'authentication failure');
    }
    return granted(ctx, clientSecret);
  }
  if (grant === JWT_BEARER) {
    const problem = checkAssertion(form.get('assertion') ?? '', ctx);
    return problem ? refuse('invalid_grant', problem) : granted(ctx, SERVER_SECRET);
  }
  return refuse('unsupported_grant_type', 'grant type not supported');
}

function granted(ctx: TokenContext, signingSecret: string): ApiResult {
  const issuedAt = String(ctx.now());
  const id = `${ctx.url}/id/${ORG_ID}/${USER_ID}`;
  return {
    status: 200,
    body: {
      access_token: ctx.issue(),
      signature: createHmac('sha256', signingSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api',
      instance_url: ctx.url,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    },
  };
}

/** Returns why the assertion is refused, or undefined when it is good. */
function checkAssertion(assertion: string, ctx: TokenContext): string | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return 'invalid assertion: not a JWT';
  const [headerPart = '', claimsPart = '', signaturePart = ''] = parts;
  const header = decodeJson(headerPart);
  const claims = decodeJson(claimsPart);
  if (!header || !claims) return 'invalid assertion: undecodable';
  if (header.alg !== 'RS256') return 'invalid assertion: alg must be RS256';
  const expect = ctx.credentials;
  if (typeof claims.iss !== 'string' || claims.iss === '') return 'invalid assertion: no iss';
  if (expect.clientId !== undefined && claims.iss !== expect.clientId) return 'invalid client identifier';
  if (typeof claims.sub !== 'string' || claims.sub === '') return 'invalid assertion: no sub';
  if (expect.username !== undefined && claims.sub !== expect.username)
    return "user hasn't approved this consumer";
  if (claims.aud !== ctx.url) return 'audience is invalid';
  const nowSec = ctx.now() / 1000;
  if (typeof claims.exp !== 'number') return 'invalid assertion: no exp';
  if (claims.exp < nowSec) return 'expired authorization code';
  if (claims.exp > nowSec + 300) return 'invalid assertion: exp too far in the future';
  if (expect.jwtPublicKeyPem !== undefined) {
    const ok = createVerify('RSA-SHA256')
      .update(`${headerPart}.${claimsPart}`)
      .verify(expect.jwtPublicKeyPem, Buffer.from(signaturePart, 'base64url'));
    if (!ok) return 'invalid assertion: signature does not match the certificate';
  }
  return undefined;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function decodeBasic(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(text.slice(0, colon)), secret: decodeURIComponent(text.slice(colon + 1)) };
}

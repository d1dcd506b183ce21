// The OAuth 2.0 JWT bearer assertion Salesforce expects: header {"alg":"RS256"}, claims
// iss (consumer key), sub (username), aud (authorization server), exp; signed with node:crypto.
import { createSign } from 'node:crypto';

/** Salesforce refuses assertions whose exp is more than ~3 minutes ahead; stay well inside. */
const LIFETIME_SECONDS = 120;

/**
 * `aud` names the authorization server, not the host we post to: production My Domains use
 * login.salesforce.com and sandboxes test.salesforce.com. Any other login URL (an Experience
 * Cloud site, the sandbox stand-in) is its own audience.
 */
export function jwtAudience(loginUrl: string): string {
  const url = new URL(loginUrl);
  const host = url.hostname.toLowerCase();
  if (host === 'login.salesforce.com' || host === 'test.salesforce.com') return url.origin;
  if (host.endsWith('.sandbox.my.salesforce.com')) return 'https://test.salesforce.com';
  if (host.endsWith('.my.salesforce.com')) return 'https://login.salesforce.com';
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string;
  exp: number;
}

export function signJwtAssertion(opts: {
  clientId: string;
  username: string;
  privateKeyPem: string;
  audience: string;
  nowMs: number;
}): string {
  const claims: JwtClaims = {
    iss: opts.clientId,
    sub: opts.username,
    aud: opts.audience,
    exp: Math.floor(opts.nowMs / 1000) + LIFETIME_SECONDS,
  };
  const signingInput = `${base64url(JSON.stringify({ alg: 'RS256' }))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256')
    .update(signingInput)
    .sign(opts.privateKeyPem)
    .toString('base64url');
  return `${signingInput}.${signature}`;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

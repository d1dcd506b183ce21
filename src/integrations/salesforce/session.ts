// Access tokens: one request to <loginUrl>/services/oauth2/token per flow, shared by concurrent
// callers, dropped when Salesforce says the session is gone. Tokens never reach a log line.
import { OAuth2 } from 'jsforce';
import { z } from 'zod';
import { PermanentError } from '../../jobs/errors.js';
import type { Logger } from '../../logger.js';
import { jwtAudience, signJwtAssertion } from './jwt.js';
import type { SalesforceSettings } from './settings.js';
import type { Send, WireResponse } from './wire.js';

export interface Session {
  accessToken: string;
  /** Base for REST calls and the Lightning links people open; no trailing slash. */
  instanceUrl: string;
}

/** A non-2xx answer from the token endpoint, handed to the adapter's error mapping. */
export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
  constructor(readonly response: WireResponse) {
    super(`token endpoint answered HTTP ${response.status}`);
  }
}

// Client-credentials and password answers carry signature/issued_at too; JWT answers may not.
const TokenResponse = z.object({
  access_token: z.string().min(1),
  instance_url: z.string().optional(),
  token_type: z.string().optional(),
  issued_at: z.string().optional(),
  signature: z.string().optional(),
  id: z.string().optional(),
  scope: z.string().optional(),
});

export class SessionSource {
  #current: Promise<Session> | undefined;
  readonly #tokenUrl: string;

  constructor(
    private readonly settings: SalesforceSettings,
    private readonly send: Send,
    private readonly logger?: Logger,
  ) {
    // jsforce knows where the token endpoint lives under a login or My Domain URL.
    this.#tokenUrl = new OAuth2({ loginUrl: settings.loginUrl }).tokenServiceUrl;
  }

  /** The current session, signing in first when there is none. Throws TokenRefused or WireError. */
  get(): Promise<Session> {
    if (!this.#current) {
      const pending = this.#signIn();
      this.#current = pending;
      // A failed sign-in is not cached: the next call tries again.
      pending.catch(() => {
        if (this.#current === pending) this.#current = undefined;
      });
    }
    return this.#current;
  }

  /** Forget `stale` — unless a concurrent caller already replaced it. */
  async invalidate(stale: Session): Promise<void> {
    const current = await this.#current?.catch(() => undefined);
    if (current === stale) this.#current = undefined;
  }

  async #signIn(): Promise<Session> {
    const response = await this.send({
      method: 'POST',
      url: this.#tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(this.#grant()).toString(),
    });
    if (response.status < 200 || response.status >= 300) throw new TokenRefused(response);
    const parsed = TokenResponse.safeParse(safeJson(response.body));
    if (!parsed.success) {
      throw new PermanentError('Salesforce token endpoint answered something that is not an access token', {
        hint: `check SALESFORCE_LOGIN_URL (${this.settings.loginUrl}) points at Salesforce`,
      });
    }
    const instanceUrl = (this.settings.instanceUrl ?? parsed.data.instance_url)?.replace(/\/+$/, '');
    if (!instanceUrl) {
      throw new PermanentError('Salesforce token response has no instance_url', {
        hint: 'set SALESFORCE_INSTANCE_URL to your My Domain URL',
      });
    }
    this.logger?.info({ flow: this.settings.auth.flow, instanceUrl }, 'salesforce: signed in');
    return { accessToken: parsed.data.access_token, instanceUrl };
  }

  #grant(): Record<string, string> {
    const { auth } = this.settings;
    switch (auth.flow) {
      case 'client_credentials':
        return {
          grant_type: 'client_credentials',
          client_id: auth.clientId,
          client_secret: auth.clientSecret,
        };
      case 'jwt':
        return {
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          assertion: signJwtAssertion({
            clientId: auth.clientId,
            username: auth.username,
            privateKeyPem: auth.privateKeyPem,
            audience: jwtAudience(this.settings.loginUrl),
            nowMs: this.settings.now(),
          }),
        };
      case 'password':
        return {
          grant_type: 'password',
          client_id: auth.clientId,
          client_secret: auth.clientSecret,
          username: auth.username,
          password: auth.password,
        };
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

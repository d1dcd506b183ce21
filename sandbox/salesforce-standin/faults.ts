// Fault injection for the Salesforce stand-in: planned failures for matching calls, in the
// order queued, with Salesforce's own error bodies unless the test gives one.
import type { ApiResult } from './org.js';

export interface FaultMatcher {
  /** e.g. 'PATCH'; any method when omitted. */
  method?: string;
  /** Tested against the path with its query string, e.g. /services/data/v62.0/query?q=…; any path when omitted. */
  path?: RegExp;
}

export interface FaultSpec {
  /** How many matching calls fail (default 1). */
  times?: number;
  status: number;
  /** JSON body (strings are sent as text); defaults to Salesforce's body for the status. */
  body?: unknown;
  /** Adds a Retry-After header (seconds). */
  retryAfterSec?: number;
  /** Wait this long before answering — longer than the client's timeout simulates a hang. */
  delayMs?: number;
}

export interface PlannedFault {
  result: ApiResult;
  delayMs: number;
}

interface Queued {
  matcher: FaultMatcher;
  spec: FaultSpec;
  remaining: number;
}

const DEFAULT_BODIES: Record<number, { errorCode: string; message: string }> = {
  400: { errorCode: 'MALFORMED_REQUEST', message: 'Bad request (stand-in fault)' },
  401: { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
  403: { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
  404: { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
  429: { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' },
  500: { errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred. (stand-in fault)' },
  502: { errorCode: 'SERVER_UNAVAILABLE', message: 'Bad gateway (stand-in fault)' },
  503: { errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable' },
};

export function serverUnavailable(): ApiResult {
  return { status: 503, body: [{ ...DEFAULT_BODIES[503], fields: [] }] };
}

export class FaultPlan {
  readonly #queue: Queued[] = [];

  add(matcher: FaultMatcher, spec: FaultSpec): void {
    if (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599) {
      throw new Error(`failNext: status must be an HTTP status, got ${spec.status}`);
    }
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`failNext: times must be a positive integer, got ${times}`);
    this.#queue.push({ matcher, spec, remaining: times });
  }

  /** Consumes one planned failure for this call, if any matches. */
  take(method: string, path: string): PlannedFault | undefined {
    const index = this.#queue.findIndex((q) => {
      if (q.matcher.method !== undefined && q.matcher.method.toUpperCase() !== method) return false;
      if (q.matcher.path === undefined) return true;
      q.matcher.path.lastIndex = 0; // a /g regex would otherwise remember the last match
      return q.matcher.path.test(path);
    });
    const queued = this.#queue[index];
    if (!queued) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.#queue.splice(index, 1);
    return { result: toResult(queued.spec), delayMs: queued.spec.delayMs ?? 0 };
  }

  clear(): void {
    this.#queue.length = 0;
  }
}

function toResult(spec: FaultSpec): ApiResult {
  const fallback = DEFAULT_BODIES[spec.status] ?? {
    errorCode: 'UNKNOWN_EXCEPTION',
    message: 'stand-in fault',
  };
  return {
    status: spec.status,
    body: spec.body === undefined ? [{ ...fallback, fields: [] }] : spec.body,
    ...(spec.retryAfterSec === undefined ? {} : { headers: { 'retry-after': String(spec.retryAfterSec) } }),
  };
}

// Fault injection: queue failures for the next calls of a method, to exercise the bot's handling of
// Slack's rate limits (429 + Retry-After), outages (5xx) and API errors (`ok:false`).
import type { ServerResponse } from 'node:http';
import type { CallRecorder } from './recorder.js';
import type { FaultSpec, RecordedCall } from './types.js';

/** What to send instead of the method's normal answer. */
export interface Fault {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The error recorded for the call. */
  error: string;
  /** The method ran first and only its answer is replaced (a reply lost on the way back). */
  afterHandling: boolean;
}

interface QueuedFault {
  method: string;
  spec: FaultSpec;
  remaining: number;
}

function toFault(spec: FaultSpec): Fault {
  return { ...faultAnswer(spec), afterHandling: spec.afterHandling === true };
}

function faultAnswer(spec: FaultSpec): Omit<Fault, 'afterHandling'> {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  if (spec.rateLimitedRetryAfterSec !== undefined) {
    return {
      status: 429,
      headers: { ...json, 'retry-after': String(spec.rateLimitedRetryAfterSec) },
      body: JSON.stringify({ ok: false, error: 'ratelimited' }),
      error: 'ratelimited',
    };
  }
  if (spec.httpStatus !== undefined) {
    return {
      status: spec.httpStatus,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: `sandbox: injected HTTP ${spec.httpStatus}`,
      error: `http_${spec.httpStatus}`,
    };
  }
  const error = spec.error ?? 'internal_error';
  return { status: 200, headers: json, body: JSON.stringify({ ok: false, error }), error };
}

export class FaultPlan {
  readonly #queue: QueuedFault[] = [];

  /** `method` may be `'*'` to fail whichever method is called next. Faults apply in the order queued. */
  add(method: string, spec: FaultSpec): void {
    const kinds = [spec.rateLimitedRetryAfterSec, spec.httpStatus, spec.error].filter((k) => k !== undefined);
    if (kinds.length !== 1) {
      throw new Error('failNext: give exactly one of rateLimitedRetryAfterSec, httpStatus or error');
    }
    if (spec.httpStatus !== undefined && (spec.httpStatus < 400 || spec.httpStatus > 599)) {
      throw new Error(`failNext: httpStatus must be 4xx/5xx, got ${spec.httpStatus}`);
    }
    this.#queue.push({ method, spec, remaining: spec.times ?? 1 });
  }

  /** Consumes one failure planned for `method`, if any. */
  take(method: string): Fault | undefined {
    const index = this.#queue.findIndex((q) => q.method === method || q.method === '*');
    const queued = this.#queue[index];
    if (!queued) return undefined;
    queued.remaining -= 1;
    if (queued.remaining <= 0) this.#queue.splice(index, 1);
    return toFault(queued.spec);
  }

  clear(): void {
    this.#queue.length = 0;
  }
}

/** Records the call as the client saw it and sends the planned fault instead of the real answer. */
export function answerWithFault(
  deps: { recorder: CallRecorder },
  fault: Fault,
  call: Pick<RecordedCall, 'method' | 'args' | 'at'>,
  res: ServerResponse,
): void {
  deps.recorder.record({ ...call, ok: false, error: fault.error, status: fault.status });
  res.writeHead(fault.status, fault.headers).end(fault.body);
}

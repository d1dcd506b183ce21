// Capacity-trend detector: a least-squares line through recent "percent used" samples of one
// pool/cluster, projected forward. When the line reaches the threshold (default 90 %) within the
// forecast horizon (default 14 days) we tell the customer now, while there is time to add capacity
// or clean up — not when the 90 % alarm fires. A fit needs enough samples over enough time, so a
// single burst of writes is not called a trend.
//
// Samples come from capacity alarms (category capacity or component kind capacity, firing or
// resolved): labels capacity_pct / usage_pct / used_pct / usage first, else the first "NN %" in
// the summary. The key names the forecast-horizon period (epoch-aligned) that `now` is in: at most
// one finding per pool per period, however the projected date drifts as samples arrive.
// Pure: the caller passes `now`.
import { byKey, groupBy, pastEvents, windowStart } from './stream.js';
import {
  type CapacityDetectorSettings,
  DAY_MS,
  type Finding,
  HOUR_MS,
  type OutreachAlarmEvent,
  type OutreachStream,
} from './types.js';

const PCT_LABELS = ['capacity_pct', 'usage_pct', 'used_pct', 'usage'] as const;
const PCT_IN_TEXT = /(\d{1,3}(?:\.\d+)?)\s*(?:%|percent\b)/i;

/** Percent used that a capacity alarm reports, or undefined when it says none (or nonsense). */
export function capacityPercent(e: Pick<OutreachAlarmEvent, 'labels' | 'summary'>): number | undefined {
  const candidates = [...PCT_LABELS.map((l) => e.labels[l]), PCT_IN_TEXT.exec(e.summary)?.[1]];
  for (const raw of candidates) {
    if (raw === undefined) continue;
    const value = Number(raw.trim().replace(/\s*%$/, ''));
    if (raw.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 100) return value;
  }
  return undefined;
}

export interface LinearFit {
  /** Percent per millisecond. */
  slope: number;
  /** Value of the line at t = 0 (epoch). */
  intercept: number;
  /** Coefficient of determination, 0…1 (1 when the points are on the line). */
  r2: number;
}

/** Ordinary least squares y = intercept + slope·t; undefined with fewer than two distinct times. */
export function leastSquares(points: ReadonlyArray<{ t: number; y: number }>): LinearFit | undefined {
  const n = points.length;
  if (n < 2) return undefined;
  // Centre on the means: epoch ms are ~1.7e12, and squaring them directly loses precision.
  const tMean = points.reduce((s, p) => s + p.t, 0) / n;
  const yMean = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.t - tMean) ** 2;
    sxy += (p.t - tMean) * (p.y - yMean);
    syy += (p.y - yMean) ** 2;
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept: yMean - slope * tMean, r2 };
}

export function detectCapacity(
  settings: CapacityDetectorSettings,
  stream: OutreachStream,
  now: number,
): Finding[] {
  const from = now - settings.lookbackDays * DAY_MS;
  const horizonMs = settings.horizonDays * DAY_MS;
  const samples = pastEvents(stream.events, now)
    .filter((e) => e.at > from && (e.category === 'capacity' || e.componentKind === 'capacity'))
    .map((e) => ({ e, y: capacityPercent(e) }))
    .filter((s): s is { e: OutreachAlarmEvent; y: number } => s.y !== undefined);

  const findings: Finding[] = [];
  for (const group of groupBy(
    samples,
    (s) => `${s.e.tenantId}\u0000${s.e.cluster}\u0000${s.e.componentId}`,
  ).values()) {
    const first = group[0]!;
    const last = group[group.length - 1]!;
    const spanMs = last.e.at - first.e.at;
    if (group.length < settings.minSamples || spanMs < settings.minSpanHours * HOUR_MS) continue;
    const fit = leastSquares(group.map((s) => ({ t: s.e.at, y: s.y })));
    if (!fit || fit.slope <= 0) continue;
    const fittedNow = fit.intercept + fit.slope * now;
    const crossing = (settings.thresholdPct - fit.intercept) / fit.slope;
    const projectedAt = Math.round(Math.max(now, crossing));
    if (projectedAt - now > horizonMs) continue;
    const { tenantId, cluster, componentId } = last.e;
    const daysLeft = (projectedAt - now) / DAY_MS;
    findings.push({
      detector: 'capacity',
      tenantId,
      key: `capacity:${tenantId}:${cluster}:${componentId}:${windowStart(now, horizonMs)}`,
      category: 'capacity',
      cluster,
      observation:
        `usage of ${componentId} on cluster ${cluster} is growing by about ${round(fit.slope * DAY_MS, 1)} % ` +
        `per day and is projected to reach ${settings.thresholdPct} % ` +
        (daysLeft < 1 ? 'within a day' : `in about ${Math.round(daysLeft)} days`),
      facts: {
        componentId,
        thresholdPct: settings.thresholdPct,
        projectedAt,
        daysToThreshold: round(daysLeft, 1),
        slopePctPerDay: fit.slope * DAY_MS,
        fittedPct: round(fittedNow, 1),
        latestPct: last.y,
        samples: group.length,
        spanHours: round(spanMs / HOUR_MS, 1),
        r2: round(fit.r2, 3),
      },
    });
  }
  return findings.sort(byKey);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

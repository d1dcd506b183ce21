// Performance detector: latency alarms that pulse on the checkpoint cadence (GPU jobs write a
// checkpoint every ~10–15 minutes, and each write shows as a latency spike) and that got worse than
// on previous days. The cadence itself is normal; a cadence that is getting more frequent or taller
// is what precedes a customer's "training got slower" message.
//
// 1. Spikes: firing transitions of performance alarms (category or component kind performance).
// 2. Dominant period: the median gap between consecutive spikes in today's window (now − window,
//    now]; it must lie in [minPeriod, maxPeriod], and at least `regularity` of the gaps must sit within
//    ±tolerance of 1, 2 or 3 periods (a missed spike doubles a gap, it does not break the cadence).
// 3. Worse: today's spike count, or mean magnitude (labels latency_ms / value_ms, else "NN ms" in
//    the summary), is at least worseFactor × the mean of the same window on each of the prior N days.
//    A cadence that did not exist on any prior day counts as worse.
// The key names the epoch-aligned window that `now` is in: one finding per cluster per window.
// Pure: the caller passes `now`.
import { byKey, firingTransitions, groupBy, pastEvents, windowStart } from './stream.js';
import {
  DAY_MS,
  type Finding,
  HOUR_MS,
  MINUTE_MS,
  type OutreachAlarmEvent,
  type OutreachStream,
  type PerformanceDetectorSettings,
} from './types.js';

const UNIT_MS: Record<string, number> = { us: 0.001, µs: 0.001, ms: 1, s: 1000 };
const LATENCY_IN_TEXT = /(\d+(?:\.\d+)?)\s*(µs|us|ms|s)\b/i;

/** Latency a performance alarm reports, in ms, or undefined. */
export function latencyMs(e: Pick<OutreachAlarmEvent, 'labels' | 'summary'>): number | undefined {
  for (const label of ['latency_ms', 'value_ms']) {
    const raw = e.labels[label];
    const value = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const m = LATENCY_IN_TEXT.exec(e.summary);
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_MS[(m[2] as string).toLowerCase()] ?? 1);
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Cadence {
  periodMs: number;
  /** Share of gaps on 1, 2 or 3 periods (±tolerance). */
  regularity: number;
}

/** The dominant period of sorted spike times, when it is a checkpoint-like cadence; else undefined. */
export function dominantPeriod(
  times: readonly number[],
  settings: Pick<
    PerformanceDetectorSettings,
    'minPeriodMinutes' | 'maxPeriodMinutes' | 'tolerance' | 'regularity'
  >,
): Cadence | undefined {
  if (times.length < 3) return undefined;
  const gaps = times
    .slice(1)
    .map((t, i) => t - (times[i] as number))
    .filter((g) => g > 0)
    .sort((a, b) => a - b);
  if (gaps.length < 2) return undefined;
  const periodMs = median(gaps);
  if (periodMs < settings.minPeriodMinutes * MINUTE_MS || periodMs > settings.maxPeriodMinutes * MINUTE_MS) {
    return undefined;
  }
  const onBeat = gaps.filter((g) => {
    const k = Math.round(g / periodMs);
    return k >= 1 && k <= 3 && Math.abs(g - k * periodMs) <= settings.tolerance * periodMs;
  }).length;
  const regularity = onBeat / gaps.length;
  return regularity >= settings.regularity ? { periodMs, regularity } : undefined;
}

interface WindowStats {
  spikes: number;
  magnitudeMs: number | undefined;
}

function statsOf(spikes: readonly OutreachAlarmEvent[]): WindowStats {
  const magnitudes = spikes.map(latencyMs).filter((m): m is number => m !== undefined);
  return {
    spikes: spikes.length,
    magnitudeMs: magnitudes.length ? magnitudes.reduce((s, m) => s + m, 0) / magnitudes.length : undefined,
  };
}

function mean(values: readonly number[]): number | undefined {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : undefined;
}

export function detectPerformance(
  settings: PerformanceDetectorSettings,
  stream: OutreachStream,
  now: number,
): Finding[] {
  const windowMs = settings.windowHours * HOUR_MS;
  const spikes = firingTransitions(pastEvents(stream.events, now)).filter(
    (e) => e.category === 'performance' || e.componentKind === 'performance',
  );
  const findings: Finding[] = [];
  for (const events of groupBy(spikes, (e) => `${e.tenantId}\u0000${e.cluster}`).values()) {
    const inWindow = (end: number) => events.filter((e) => e.at > end - windowMs && e.at <= end);
    const today = inWindow(now);
    if (today.length < settings.minSpikes) continue;
    const cadence = dominantPeriod(
      today.map((e) => e.at),
      settings,
    );
    if (!cadence) continue;

    const prior = Array.from({ length: settings.priorDays }, (_, i) =>
      statsOf(inWindow(now - (i + 1) * DAY_MS)),
    );
    const now_ = statsOf(today);
    const baselineSpikes = mean(prior.map((p) => p.spikes)) ?? 0;
    const baselineMagnitude = mean(
      prior.map((p) => p.magnitudeMs).filter((m): m is number => m !== undefined),
    );
    const moreOften = baselineSpikes === 0 || now_.spikes >= settings.worseFactor * baselineSpikes;
    const taller =
      now_.magnitudeMs !== undefined &&
      baselineMagnitude !== undefined &&
      baselineMagnitude > 0 &&
      now_.magnitudeMs >= settings.worseFactor * baselineMagnitude;
    if (!moreOften && !taller) continue;

    const { tenantId, cluster } = today[today.length - 1] as OutreachAlarmEvent;
    const periodMinutes = Math.round((cadence.periodMs / MINUTE_MS) * 10) / 10;
    const worse = moreOften && taller ? 'frequency-and-magnitude' : moreOften ? 'frequency' : 'magnitude';
    findings.push({
      detector: 'performance',
      tenantId,
      key: `performance:${tenantId}:${cluster}:${windowStart(now, windowMs)}`,
      category: 'performance',
      cluster,
      observation:
        `latency spikes on cluster ${cluster} every ~${Math.round(periodMinutes)} minutes ` +
        `(the checkpoint cadence) are ${worse === 'magnitude' ? 'higher' : worse === 'frequency' ? 'more frequent' : 'more frequent and higher'} ` +
        `than on the previous ${settings.priorDays} days`,
      facts: {
        periodMinutes,
        regularity: Math.round(cadence.regularity * 100) / 100,
        spikes: now_.spikes,
        baselineSpikes: Math.round(baselineSpikes * 10) / 10,
        ...(now_.magnitudeMs !== undefined ? { magnitudeMs: Math.round(now_.magnitudeMs * 10) / 10 } : {}),
        ...(baselineMagnitude !== undefined
          ? { baselineMagnitudeMs: Math.round(baselineMagnitude * 10) / 10 }
          : {}),
        worse,
        windowHours: settings.windowHours,
      },
    });
  }
  return findings.sort(byKey);
}

// Flapping: an alarm that keeps switching firing ↔ resolved (a bouncing link, a marginal fan)
// should page once and then be marked flapping, not page on every bounce. Pure: `now` is passed in.

export interface FlappingPolicy {
  /** This many transitions or more inside the window means flapping. */
  transitions: number;
  windowMs: number;
}

/**
 * True when at least `transitions` firing↔resolved transitions happened in the window
 * (now − windowMs, now]. A transition exactly windowMs ago has just left the window; times after
 * `now` (not yet happened from this cycle's point of view) do not count. Order does not matter.
 */
export function isFlapping(transitionTimes: readonly number[], now: number, policy: FlappingPolicy): boolean {
  const from = now - policy.windowMs;
  let count = 0;
  for (const t of transitionTimes) {
    if (t > from && t <= now) count++;
  }
  return count >= policy.transitions;
}

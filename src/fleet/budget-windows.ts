/**
 * How a budget of N calls in ANY 60 seconds is kept with fixed windows (rate-limiter-flexible's
 * limiters: a window starts at the first call after the previous one ended, and counts up to its
 * points). The minute is split into k windows of 60/k seconds with floor(N/(k+1)) points each.
 *
 * Why that holds for any 60 s: the windows are disjoint, each 60/k s long, so their starts lie at
 * least 60/k s apart. A 60-s interval [t, t+60] meets a window only if the window starts in
 * (t - 60/k, t + 60], an interval (k+1)·60/k s long, which holds at most k+1 such starts. So any
 * 60 s sees at most (k+1)·floor(N/(k+1)) ≤ N calls. (One 60-s window of N points would let 2N
 * through around its edge.)
 *
 * The price is throughput: steadily the limiter lets k·floor(N/(k+1)) calls a minute through.
 * k is chosen to keep as much of N as possible, from the divisors of 60 (Redis windows are whole
 * seconds: the Redis limiter truncates a duration to seconds, and below one second it would set
 * no expiry at all); among equals the shorter window, as a waiter then waits less for room.
 */
export interface BudgetWindows {
  /** Sub-windows per minute (k). */
  readonly perMinute: number;
  /** Length of one sub-window, whole seconds (60/k). */
  readonly seconds: number;
  /** Calls one sub-window lets through: floor(N/(k+1)). */
  readonly points: number;
  /** What the limiter sustains per minute: k·points (≤ N). */
  readonly sustainedPerMinute: number;
}

const DIVISORS_OF_60 = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;

/** The smallest budget the split can keep: one call per window, two windows per minute. */
export const MIN_CALLS_PER_MINUTE = 2;

export function budgetWindows(callsPerMinute: number): BudgetWindows {
  if (!Number.isSafeInteger(callsPerMinute) || callsPerMinute < MIN_CALLS_PER_MINUTE) {
    throw new RangeError(`a budget needs at least ${MIN_CALLS_PER_MINUTE} calls a minute`);
  }
  let best: BudgetWindows | undefined;
  for (const k of DIVISORS_OF_60) {
    const points = Math.floor(callsPerMinute / (k + 1));
    if (points < 1) break;
    const sustainedPerMinute = k * points;
    if (best === undefined || sustainedPerMinute >= best.sustainedPerMinute) {
      best = { perMinute: k, seconds: 60 / k, points, sustainedPerMinute };
    }
  }
  // k = 1 always fits: points = floor(N/2) ≥ 1.
  return best as BudgetWindows;
}

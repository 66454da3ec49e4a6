import type { HoldTimeRecorder } from '../partner-center/in-flight-limit.js';

/**
 * Recent upstream hold times (how long a call holds an in-flight slot: the round trip, not the
 * wait for the slot), and from them a mean (how fast slots drain, for admission) and a
 * "cautious" round trip that few calls exceed (for admission's last call, the queue's shedding
 * and the call budget's margin).
 *
 * Why not TCP's estimator (RFC 6298, mean plus four mean deviations), which this replaced: it
 * lets one sample move the estimate by its whole size. One 1400 ms answer among 45 ms ones adds
 * a quarter of the 1355 ms gap to the deviation, times four, plus an eighth to the mean: cautious
 * went from 45 ms to 1.58 s, and every call queued behind the next operation was judged hopeless
 * and shed at once; recovering took about 40 more samples. And a timeout is not a round trip at
 * all: it says only that the round trip took at least that long (a censored observation), yet it
 * was averaged in at its full length, with the same effect.
 *
 * So, for answers: the last `HOLD_WINDOW` (16) hold times, ordered. The mean leaves out the largest
 * (a trimmed mean); cautious is `CAUTIOUS_MARGIN` (1.5) times the second largest, about the 90th
 * percentile of the last 16 and half as much again for what they did not show. One outlier, of any
 * size, therefore moves neither: it is the largest, and both leave it out. Two slow answers among
 * the last 16 are a slowdown and are followed at once, so a Partner Center that really is slow is
 * shed early as before. And the window forgets: after 16 answers (`RECOVERY_SAMPLES`) the estimate
 * is theirs alone, whatever came before (a percentile of a window rather than a clamped sample
 * smoothed by an EWMA, whose memory is long). The cost is a sorted array of 16 numbers kept in
 * order on each answer (a search and a few moves, no allocation: about 0.1 µs more per call than
 * the EWMA); reading the mean or cautious is a lookup.
 *
 * For timeouts, Karn's rule and TCP's bounded back-off: a timed-out hold time never enters the
 * window. It raises cautious to at most twice what it was (`BACKOFF_FACTOR`), never above what
 * was observed (the hold time itself), and never above half the attempt timeout
 * (`BACKOFF_CEILING_SHARE`). Several timeouts in a row raise it step by step, 2×, 4×, …, to that
 * bound. The bound is where timeouts alone stop: admission estimates work to take at most half of
 * what a call may wait (`ADMISSION_HEADROOM`), so at the bound it refuses every operation that
 * would have to queue behind others, and the queue sheds a call once half its attempt time is
 * gone rather than at its timeout; but a call that has just joined the queue is not shed on
 * timeouts alone, since the next call to end (about a round trip later) tells whether Partner
 * Center is answering again. The first answer ends the back-off. Cancelled and shed calls, and
 * connections that fail before an answer, are not recorded at all.
 */
export interface HoldTimes extends HoldTimeRecorder {
  meanMs(): number;
  /** Answers seen so far (0: the estimate is still the prior). */
  samples(): number;
}

/** Answers the estimate remembers. */
export const HOLD_WINDOW = 16;
/** Cautious is this many times the second-largest hold time of the window. */
export const CAUTIOUS_MARGIN = 1.5;
/** A timeout raises cautious by at most this factor. */
export const BACKOFF_FACTOR = 2;
/** Timeouts alone raise cautious to at most this share of the attempt timeout. */
export const BACKOFF_CEILING_SHARE = 1 / 2;
/** After this many answers the estimate is theirs alone, whatever came before. */
export const RECOVERY_SAMPLES = HOLD_WINDOW;
/** With no answer, or only one, cautious is this many times it, as TCP's first sample. */
const FIRST_SAMPLE_FACTOR = 3;

/**
 * `priorMs` stands in before anything is measured, pessimistically (cautious three times it, as
 * TCP's first sample gets): a burst at start-up is admitted as if Partner Center were that slow,
 * and the first answers replace it. `ceilingMs` is the attempt timeout: no hold time counts for
 * more, and cautious never exceeds it.
 */
export function createHoldTimes(
  priorMs: number,
  ceilingMs: number = Number.POSITIVE_INFINITY,
): HoldTimes {
  // The window in arrival order (a ring), and the same hold times in ascending order.
  const arrived = new Float64Array(HOLD_WINDOW);
  const sorted = new Float64Array(HOLD_WINDOW);
  let size = 0;
  let next = 0;
  // Of the window; recounted each time the ring wraps, so rounding errors cannot pile up.
  let sum = 0;
  let count = 0;
  let backedOff = 0;
  const backoffCeiling = ceilingMs * BACKOFF_CEILING_SHARE;

  const fromAnswers = (): number => {
    if (size === 0) return FIRST_SAMPLE_FACTOR * priorMs;
    if (size === 1) return FIRST_SAMPLE_FACTOR * (sorted[0] as number);
    return CAUTIOUS_MARGIN * (sorted[size - 2] as number);
  };
  const cautiousMs = (): number => Math.min(ceilingMs, Math.max(fromAnswers(), backedOff));

  /** Puts `ms` in the place of the sorted entry at `at` and moves it to where it belongs. */
  const place = (at: number, ms: number): void => {
    let i = at;
    for (; i > 0 && (sorted[i - 1] as number) > ms; i -= 1) sorted[i] = sorted[i - 1] as number;
    for (; i < size - 1 && (sorted[i + 1] as number) < ms; i += 1)
      sorted[i] = sorted[i + 1] as number;
    sorted[i] = ms;
  };

  return {
    record(measured) {
      if (!Number.isFinite(measured) || measured < 0) return;
      const ms = Math.min(measured, ceilingMs);
      backedOff = 0;
      count += 1;
      if (size < HOLD_WINDOW) {
        size += 1;
        place(size - 1, ms);
      } else {
        const evicted = arrived[next] as number;
        place(sorted.indexOf(evicted), ms);
        sum -= evicted;
      }
      sum += ms;
      arrived[next] = ms;
      next = (next + 1) % HOLD_WINDOW;
      if (next === 0) {
        sum = 0;
        for (let i = 0; i < HOLD_WINDOW; i += 1) sum += arrived[i] as number;
      }
    },
    censored(atLeastMs) {
      if (!Number.isFinite(atLeastMs) || atLeastMs < 0) return;
      const raised = Math.min(BACKOFF_FACTOR * cautiousMs(), atLeastMs, backoffCeiling);
      backedOff = Math.max(backedOff, raised);
    },
    meanMs() {
      if (size === 0) return priorMs;
      if (size === 1) return sorted[0] as number;
      return (sum - (sorted[size - 1] as number)) / (size - 1);
    },
    cautiousMs,
    samples: () => count,
  };
}

/**
 * The prior: a twentieth of `UPSTREAM_TIMEOUT_MS`, at most half a second, on the slow side of
 * Partner Center's usual round trip; the first cautious estimate is three times it, 1.5 s.
 */
export function holdTimePriorMs(upstreamTimeoutMs: number): number {
  return Math.min(500, upstreamTimeoutMs / 20);
}

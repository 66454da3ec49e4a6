import type { HoldTimeRecorder } from '../partner-center/in-flight-limit.js';

/**
 * Recent upstream hold times (how long a call holds an in-flight slot: the round trip, not the
 * wait for the slot), smoothed as TCP smooths round-trip times (RFC 6298): a moving mean and a
 * moving mean deviation. "Cautious" is the mean plus four deviations, TCP's retransmission
 * timeout: the mean alone would leave even odds that a call takes longer.
 */
export interface HoldTimes extends HoldTimeRecorder {
  meanMs(): number;
  /** Hold times seen so far (0: the estimate is still the prior). */
  samples(): number;
}

/** Weights of a new sample: TCP's 1/8 and 1/4 react within a few calls, which is what we want. */
const MEAN_GAIN = 1 / 8;
const DEVIATION_GAIN = 1 / 4;
const DEVIATIONS = 4;

/**
 * `priorMs` stands in before anything is measured, pessimistically (with a deviation of half of
 * it, as TCP's first sample gets): a burst at start-up is admitted as if Partner Center were that
 * slow, and the first real samples replace it.
 */
export function createHoldTimes(priorMs: number): HoldTimes {
  let mean = priorMs;
  let deviation = priorMs / 2;
  let count = 0;
  return {
    record(ms) {
      if (!Number.isFinite(ms) || ms < 0) return;
      if (count === 0) {
        mean = ms;
        deviation = ms / 2;
      } else {
        deviation += DEVIATION_GAIN * (Math.abs(mean - ms) - deviation);
        mean += MEAN_GAIN * (ms - mean);
      }
      count += 1;
    },
    meanMs: () => mean,
    cautiousMs: () => mean + DEVIATIONS * deviation,
    samples: () => count,
  };
}

/**
 * The prior: a twentieth of `UPSTREAM_TIMEOUT_MS`, at most half a second, on the slow side of
 * Partner Center's usual round trip; with its deviation the first cautious estimate is 1.5 s.
 */
export function holdTimePriorMs(upstreamTimeoutMs: number): number {
  return Math.min(500, upstreamTimeoutMs / 20);
}

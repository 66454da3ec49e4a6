import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BACKOFF_FACTOR,
  CAUTIOUS_MARGIN,
  createHoldTimes,
  holdTimePriorMs,
  RECOVERY_SAMPLES,
  type HoldTimes,
} from '../../src/overload/hold-times.js';

describe('createHoldTimes', () => {
  it('stands on a pessimistic prior until the first answer, which replaces it', () => {
    const holds = createHoldTimes(1000);
    expect([holds.meanMs(), holds.cautiousMs(), holds.samples()]).toEqual([1000, 3000, 0]);

    holds.record(200);

    // As TCP's first round-trip sample: one answer says nothing yet about the spread.
    expect([holds.meanMs(), holds.cautiousMs(), holds.samples()]).toEqual([200, 600, 1]);

    holds.record(220);

    // The mean leaves out the largest; cautious is 1.5 × the second largest.
    expect([holds.meanMs(), holds.cautiousMs(), holds.samples()]).toEqual([200, 300, 2]);
  });

  it('keeps one slow answer among the usual ones out of both (issue 22: 1400 ms among 45 ms)', () => {
    const holds = createHoldTimes(75, 1500);
    for (let n = 0; n < 40; n += 1) holds.record(40 + (n % 6));

    holds.record(1400);

    // RFC 6298's mean plus four deviations went to 1.58 s here.
    expect([holds.meanMs(), holds.cautiousMs()]).toEqual([42.4, 67.5]);
  });

  it('follows a slowdown from its second slow answer', () => {
    const holds = createHoldTimes(75, 1500);
    for (let n = 0; n < 40; n += 1) holds.record(45);

    holds.record(600);
    expect(holds.cautiousMs()).toBe(67.5);
    holds.record(600);
    expect(holds.cautiousMs()).toBe(900);
  });

  it('forgets everything older than the last 16 answers', () => {
    const holds = createHoldTimes(75, 1500);
    for (let n = 0; n < 40; n += 1) holds.record(1400);
    expect(holds.cautiousMs()).toBe(1500);

    // With two of the old answers still in the window, they are a slowdown still.
    for (let n = 0; n < 14; n += 1) holds.record(40);
    expect([holds.meanMs(), holds.cautiousMs()]).toEqual([(14 * 40 + 1400) / 15, 1500]);

    // With one, it is an outlier; with none, nothing older is left.
    holds.record(40);
    expect([holds.meanMs(), holds.cautiousMs()]).toEqual([40, 60]);
    holds.record(40);
    expect(RECOVERY_SAMPLES).toBe(16);
    expect([holds.meanMs(), holds.cautiousMs(), holds.samples()]).toEqual([40, 60, 56]);
  });

  it('backs off on timeouts, doubling per timeout in a row up to half the attempt timeout', () => {
    const holds = createHoldTimes(75, 1500);
    for (let n = 0; n < 20; n += 1) holds.record(40);
    expect(holds.cautiousMs()).toBe(60);

    const steps = [];
    for (let n = 0; n < 6; n += 1) {
      holds.censored(1500);
      steps.push(holds.cautiousMs());
    }

    expect(steps).toEqual([120, 240, 480, 750, 750, 750]);
    // Timeouts are no round trips: the drain rate is that of the answers.
    expect([holds.meanMs(), holds.samples()]).toEqual([40, 20]);

    holds.record(45);

    // The first answer ends the back-off.
    expect(holds.cautiousMs()).toBe(60);
  });

  it('raises cautious on a timeout only to what the timed-out call had held', () => {
    const holds = createHoldTimes(75, 1500);
    for (let n = 0; n < 20; n += 1) holds.record(40);

    // A call that had waited for a slot and then held it 50 ms before its time ran out.
    holds.censored(50);
    expect(holds.cautiousMs()).toBe(60);
    holds.censored(100);
    expect(holds.cautiousMs()).toBe(100);
  });

  it('counts no hold time for more than the attempt timeout', () => {
    const holds = createHoldTimes(75, 1500);
    holds.record(5000);
    holds.record(5000);
    expect([holds.meanMs(), holds.cautiousMs()]).toEqual([1500, 1500]);
  });

  it('ignores values that are not durations', () => {
    const holds = createHoldTimes(500, 10_000);
    holds.record(Number.NaN);
    holds.record(-1);
    holds.censored(Number.NaN);
    holds.censored(-1);
    holds.censored(Number.POSITIVE_INFINITY);
    expect([holds.meanMs(), holds.cautiousMs(), holds.samples()]).toEqual([500, 1500, 0]);
  });

  it('takes a twentieth of UPSTREAM_TIMEOUT_MS as its prior, at most half a second', () => {
    expect(holdTimePriorMs(10_000)).toBe(500);
    expect(holdTimePriorMs(60_000)).toBe(500);
    expect(holdTimePriorMs(3000)).toBe(150);
  });
});

/** What a slot can end with that the estimate hears of: an answer, or a timeout. */
type Event = { readonly kind: 'answered' | 'timed-out'; readonly share: number };

/**
 * A hold time as a share of the attempt timeout, on a log scale (from a ten-thousandth of it to
 * a little beyond, late timers), so that histories of fast answers are as likely as slow ones.
 */
const share = fc.double({ min: -4, max: 0.04, noNaN: true }).map((exponent) => 10 ** exponent);
const event: fc.Arbitrary<Event> = fc.record({
  kind: fc.constantFrom('answered' as const, 'timed-out' as const),
  share,
});
const timeoutMs = fc.integer({ min: 10, max: 300_000 });

function replay(holds: HoldTimes, events: readonly Event[], timeout: number): void {
  for (const { kind, share: held } of events) {
    if (kind === 'answered') holds.record(held * timeout);
    else holds.censored(held * timeout);
  }
}

function withHistory(timeout: number, events: readonly Event[]): HoldTimes {
  const holds = createHoldTimes(holdTimePriorMs(timeout), timeout);
  replay(holds, events, timeout);
  return holds;
}

/** Float slack for the products the bounds are stated in. */
const SLACK = 1 + 1e-9;

describe('createHoldTimes: properties', () => {
  it(`a timeout raises cautious by at most ${BACKOFF_FACTOR}×, never above what the call held nor above the attempt timeout, and leaves the mean`, () => {
    fc.assert(
      fc.property(
        timeoutMs,
        fc.array(event, { maxLength: 60 }),
        share,
        (timeout, history, heldShare) => {
          const holds = withHistory(timeout, history);
          const before = holds.cautiousMs();
          const mean = holds.meanMs();
          const held = heldShare * timeout;

          holds.censored(held);

          const after = holds.cautiousMs();
          expect(after).toBeGreaterThanOrEqual(before);
          expect(after).toBeLessThanOrEqual(BACKOFF_FACTOR * before * SLACK);
          expect(after).toBeLessThanOrEqual(Math.max(before, held));
          expect(after).toBeLessThanOrEqual(timeout);
          expect(holds.meanMs()).toBe(mean);
        },
      ),
    );
  });

  it('any number of timeouts keep cautious at or below the attempt timeout; timeouts alone, below half of it', () => {
    fc.assert(
      fc.property(
        timeoutMs,
        fc.array(event, { maxLength: 60 }),
        fc.array(share, { minLength: 1, maxLength: 100 }),
        (timeout, history, heldShares) => {
          const holds = withHistory(timeout, history);
          const before = holds.cautiousMs();
          for (const heldShare of heldShares) {
            holds.censored(heldShare * timeout);
            expect(holds.cautiousMs()).toBeLessThanOrEqual(timeout);
            expect(holds.cautiousMs()).toBeLessThanOrEqual(Math.max(before, timeout / 2));
          }
        },
      ),
    );
  });

  it(`after 20 answers within [0.8, 1.25] × m, one outlier of any size up to the timeout keeps cautious ≤ ${CAUTIOUS_MARGIN} × 1.25 × m and the mean ≤ 1.25 × m`, () => {
    fc.assert(
      fc.property(
        timeoutMs,
        fc.double({ min: 0.001, max: 0.25, noNaN: true }),
        fc.array(fc.double({ min: 0.8, max: 1.25, noNaN: true }), {
          minLength: 20,
          maxLength: 60,
        }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.double({ min: 0.8, max: 1.25, noNaN: true }), { maxLength: 30 }),
        (timeout, usualShare, before, outlierShare, after) => {
          const m = usualShare * timeout;
          const holds = createHoldTimes(holdTimePriorMs(timeout), timeout);
          for (const factor of before) holds.record(factor * m);

          holds.record(outlierShare * timeout);

          // A call with 1.875 × its usual round trip left is never judged hopeless, nor is the
          // drain rate admission uses lifted; the same holds while the outlier stays in the window.
          for (const factor of [...after, undefined]) {
            expect(holds.cautiousMs()).toBeLessThanOrEqual(CAUTIOUS_MARGIN * 1.25 * m * SLACK);
            expect(holds.meanMs()).toBeLessThanOrEqual(1.25 * m * SLACK);
            if (factor !== undefined) holds.record(factor * m);
          }
        },
      ),
    );
  });

  it(`after 20 answers within [0.8, 1.25] × m, one timeout keeps cautious ≤ ${BACKOFF_FACTOR} × ${CAUTIOUS_MARGIN} × 1.25 × m, and the next answer ends that`, () => {
    fc.assert(
      fc.property(
        timeoutMs,
        fc.double({ min: 0.001, max: 0.25, noNaN: true }),
        fc.array(fc.double({ min: 0.8, max: 1.25, noNaN: true }), {
          minLength: 20,
          maxLength: 60,
        }),
        share,
        fc.double({ min: 0.8, max: 1.25, noNaN: true }),
        (timeout, usualShare, before, heldShare, next) => {
          const m = usualShare * timeout;
          const holds = createHoldTimes(holdTimePriorMs(timeout), timeout);
          for (const factor of before) holds.record(factor * m);
          const usual = CAUTIOUS_MARGIN * 1.25 * m * SLACK;

          holds.censored(heldShare * timeout);
          expect(holds.cautiousMs()).toBeLessThanOrEqual(BACKOFF_FACTOR * usual);

          holds.record(next * m);
          expect(holds.cautiousMs()).toBeLessThanOrEqual(usual);
        },
      ),
    );
  });

  it(`after any history, ${RECOVERY_SAMPLES} answers within [1, 1.25] × r bring cautious to [1.5, 1.875] × r and the mean to [1, 1.25] × r`, () => {
    fc.assert(
      fc.property(
        timeoutMs,
        fc.array(event, { maxLength: 80 }),
        fc.double({ min: 0.001, max: 0.5, noNaN: true }),
        fc.array(fc.double({ min: 1, max: 1.25, noNaN: true }), {
          minLength: RECOVERY_SAMPLES,
          maxLength: RECOVERY_SAMPLES,
        }),
        (timeout, history, trueShare, factors) => {
          const r = trueShare * timeout;
          const holds = withHistory(timeout, history);

          for (const factor of factors) holds.record(factor * r);

          const cautious = holds.cautiousMs();
          expect(cautious).toBeGreaterThanOrEqual((CAUTIOUS_MARGIN * r) / SLACK);
          expect(cautious).toBeLessThanOrEqual(CAUTIOUS_MARGIN * 1.25 * r * SLACK);
          expect(holds.meanMs()).toBeGreaterThanOrEqual(r / SLACK);
          expect(holds.meanMs()).toBeLessThanOrEqual(1.25 * r * SLACK);
        },
      ),
    );
  });

  it('after any history, two answers of s in a row make cautious at least 1.5 × s (or the timeout): a slow Partner Center is believed', () => {
    fc.assert(
      fc.property(
        timeoutMs,
        fc.array(event, { maxLength: 80 }),
        share,
        (timeout, history, slowShare) => {
          const holds = withHistory(timeout, history);
          const s = slowShare * timeout;

          holds.record(s);
          holds.record(s);

          expect(holds.cautiousMs()).toBeGreaterThanOrEqual(
            Math.min(timeout, CAUTIOUS_MARGIN * s) / SLACK,
          );
        },
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { createHoldTimes, holdTimePriorMs } from '../../src/overload/hold-times.js';

describe('createHoldTimes', () => {
  it('stands on a pessimistic prior until the first hold time, which replaces it', () => {
    const holds = createHoldTimes(1000);
    expect([holds.meanMs(), holds.cautiousMs(), holds.samples()]).toEqual([1000, 3000, 0]);

    holds.record(200);

    // As TCP's first round-trip sample: mean = sample, deviation = half of it.
    expect([holds.meanMs(), holds.cautiousMs(), holds.samples()]).toEqual([200, 600, 1]);
  });

  it('smooths later samples and narrows the deviation while they agree', () => {
    const holds = createHoldTimes(1000);
    for (let n = 0; n < 50; n += 1) holds.record(200);
    expect(holds.meanMs()).toBe(200);
    expect(holds.cautiousMs()).toBeLessThan(201);

    holds.record(1000);

    expect(holds.meanMs()).toBe(300);
    expect(holds.cautiousMs()).toBeGreaterThan(1000);
  });

  it('ignores values that are not durations', () => {
    const holds = createHoldTimes(500);
    holds.record(Number.NaN);
    holds.record(-1);
    expect(holds.samples()).toBe(0);
  });

  it('takes a twentieth of UPSTREAM_TIMEOUT_MS as its prior, at most half a second', () => {
    expect(holdTimePriorMs(10_000)).toBe(500);
    expect(holdTimePriorMs(60_000)).toBe(500);
    expect(holdTimePriorMs(3000)).toBe(150);
  });
});

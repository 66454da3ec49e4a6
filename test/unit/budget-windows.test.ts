import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBudgetLimiter } from '../../src/fleet/budget-limiter.js';
import { budgetWindows } from '../../src/fleet/budget-windows.js';
import { createCallBudget } from '../../src/fleet/call-budget.js';
import { captureLogs } from '../helpers/log-capture.js';

/** Each attempt has a signal of its own, as in the http client (one per attempt). */
const ownSignal = () => new AbortController().signal;

describe('budgetWindows', () => {
  it('splits the minute to keep as much of the budget as any 60 s allows', () => {
    expect(budgetWindows(60)).toEqual({
      perMinute: 10,
      seconds: 6,
      points: 5,
      sustainedPerMinute: 50,
    });
    expect(budgetWindows(500)).toEqual({
      perMinute: 60,
      seconds: 1,
      points: 8,
      sustainedPerMinute: 480,
    });
    expect(budgetWindows(2)).toEqual({
      perMinute: 1,
      seconds: 60,
      points: 1,
      sustainedPerMinute: 1,
    });
    expect(budgetWindows(3)).toEqual({
      perMinute: 2,
      seconds: 30,
      points: 1,
      sustainedPerMinute: 2,
    });
    expect(() => budgetWindows(1)).toThrow(RangeError);
  });

  it('never lets (windows + 1) × points exceed the budget, in whole seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1_000_000 }), (n) => {
        const w = budgetWindows(n);
        expect((w.perMinute + 1) * w.points).toBeLessThanOrEqual(n);
        expect(Number.isInteger(w.seconds) && w.seconds * w.perMinute === 60).toBe(true);
        expect(w.points).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});

/** Most grants inside any closed interval of 60 s (it suffices to start one at every grant). */
function busiestMinute(grants: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < grants.length; i += 1) {
    while (j < grants.length && (grants[j] as number) <= (grants[i] as number) + 60_000) j += 1;
    most = Math.max(most, j - i);
  }
  return most;
}

describe('the call budget on a fake clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets at most N calls through in any 60 s, whatever the arrivals', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(2, 3, 7, 60, 100, 500),
        fc.array(fc.integer({ min: 0, max: 4_000 }), { minLength: 50, maxLength: 400 }),
        fc.integer({ min: 100, max: 30_000 }),
        async (n, gaps, patienceMs) => {
          const budget = createCallBudget({
            limiter: createBudgetLimiter(budgetWindows(n), undefined, captureLogs().logger),
          });
          const grants: number[] = [];
          const calls: Promise<void>[] = [];
          for (const gap of gaps) {
            await vi.advanceTimersByTimeAsync(gap);
            calls.push(
              budget.take(ownSignal(), performance.now() + patienceMs).then(
                () => {
                  grants.push(Date.now());
                },
                () => undefined,
              ),
            );
          }
          await vi.advanceTimersByTimeAsync(patienceMs + 1_000);
          await Promise.all(calls);
          expect(busiestMinute(grants)).toBeLessThanOrEqual(n);
          expect(grants.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reaches the bound when callers push at every window edge', async () => {
    const n = 60;
    const budget = createCallBudget({
      limiter: createBudgetLimiter(budgetWindows(n), undefined, captureLogs().logger),
    });
    const grants: number[] = [];
    // Everyone is patient: each window fills the moment it opens.
    for (let i = 0; i < 200; i += 1) {
      void budget.take(ownSignal(), Number.POSITIVE_INFINITY).then(() => grants.push(Date.now()));
    }
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(grants.length).toBe(200);
    // 6-s windows of 5 calls: 55 in the busiest 60 s (11 window starts), never 60 + 1.
    expect(busiestMinute(grants)).toBe(55);
    expect(busiestMinute(grants)).toBeLessThanOrEqual(n);
  });
});

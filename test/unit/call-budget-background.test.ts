import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBudgetBlocks, type Reservation } from '../../src/fleet/budget-blocks.js';
import { createBudgetLimiter } from '../../src/fleet/budget-limiter.js';
import { budgetWindows, type BudgetWindows } from '../../src/fleet/budget-windows.js';
import { backgroundShare, createCallBudget, type CallBudget } from '../../src/fleet/call-budget.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';
import { captureLogs } from '../helpers/log-capture.js';

/**
 * Background (`watch`) calls spend the call budget only within the first half of each window, as
 * the fleet counted it, and never ahead of an interactive caller: on a fake clock, with this
 * replica's own limiter and with blocks of a window shared by two replicas.
 */

const never = new AbortController().signal;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A poll through `budget`: true if it was let through (and then sent), false if deferred. */
async function poll(budget: CallBudget): Promise<boolean> {
  try {
    (await budget.takeBackground()).settle(true);
    return true;
  } catch (error) {
    if (error instanceof UpstreamError && error.kind === 'deferred') return false;
    throw error;
  }
}

/** The most of `times` that fall in any closed interval of `ms`. */
function busiest(times: readonly number[], ms: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i += 1) {
    let j = i;
    while (j < times.length && (times[j] as number) <= (times[i] as number) + ms) j += 1;
    most = Math.max(most, j - i);
  }
  return most;
}

describe("polls and this replica's own limiter", () => {
  it('with 10 calls a minute, send at most 5 in any 60 s, and interactive calls still get theirs', async () => {
    const windows = budgetWindows(10);
    expect(windows).toMatchObject({ seconds: 15, points: 2 });
    const budget = createCallBudget({
      limiter: createBudgetLimiter(windows, undefined, captureLogs().logger),
      replicaCallsPerMinute: (windows.perMinute + 1) * windows.points,
    });
    const polled: number[] = [];
    const interactive: Promise<number>[] = [];
    // Four minutes: a poll every 250 ms, an interactive read every 15 s that may wait 15 s.
    for (let ms = 0; ms < 240_000; ms += 250) {
      if (ms % 15_000 === 7_500) {
        interactive.push(
          budget.take(never, performance.now() + 15_000).then((passage) => {
            passage.settle(true);
            return passage.budgetWaitMs;
          }),
        );
      }
      if (await poll(budget)) polled.push(performance.now());
      await vi.advanceTimersByTimeAsync(250);
    }

    expect(busiest(polled, 60_000)).toBeLessThanOrEqual(5);
    // Not starved either: one of each window's two calls.
    expect(polled.length).toBeGreaterThanOrEqual(15);
    const waits = await Promise.all(interactive);
    expect(waits).toHaveLength(16);
  });

  it('defers a poll while an interactive caller waits for room, and lets the caller have it', async () => {
    const windows = budgetWindows(10);
    const budget = createCallBudget({
      limiter: createBudgetLimiter(windows, undefined, captureLogs().logger),
    });
    // Interactive calls spend the window (2 calls); a third waits for the next one.
    for (let n = 0; n < 2; n += 1)
      (await budget.take(never, performance.now() + 1_000)).settle(true);
    const waiting = budget.take(never, performance.now() + 60_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(budget.waiting()).toBe(1);

    await expect(budget.takeBackground()).rejects.toMatchObject({ kind: 'deferred' });
    await vi.advanceTimersByTimeAsync(15_000);
    const passage = await waiting;
    passage.settle(true);
    expect(passage.budgetWaitMs).toBeGreaterThan(14_000);
    // In the new window the caller had the first call; the poll may have the second (half of 2).
    expect(await poll(budget)).toBe(false);
  });
});

describe('polls and a window nothing is known of', () => {
  it('defer, and give the call they were granted back for the next caller', async () => {
    let givenBack = 0;
    const budget = createCallBudget({
      limiter: {
        // Granted, but no `seen`: as when the insurance answered a block of the shared window.
        tryTake: () =>
          Promise.resolve({
            granted: true,
            giveBack: () => {
              givenBack += 1;
              return true;
            },
          }),
      },
    });

    await expect(budget.takeBackground()).rejects.toMatchObject({
      kind: 'deferred',
      retryAfterSeconds: 1,
    });
    expect(givenBack).toBe(1);
  });
});

interface Window {
  readonly start: number;
  readonly end: number;
  counted: number;
  polls: number;
  interactive: number;
}

/** One fixed window shared by the replicas, as rate-limiter-flexible keeps it in Redis. */
function sharedWindow(points: number, seconds: number, latencyMs: number) {
  const windows: Window[] = [];
  const current = (now: number): Window => {
    const last = windows.at(-1);
    if (last !== undefined && now < last.end) return last;
    const opened = { start: now, end: now + seconds * 1000, counted: 0, polls: 0, interactive: 0 };
    windows.push(opened);
    return opened;
  };
  const answer = (asked: number): Reservation => {
    const now = performance.now();
    const window = current(now);
    window.counted += asked;
    return window.counted <= points
      ? {
          granted: true,
          points: asked,
          remaining: points - window.counted,
          endsInMs: window.end - now,
        }
      : { granted: false, retryInMs: window.end - now };
  };
  const later = <T>(ms: number, value: () => T) =>
    new Promise<T>((resolve) => setTimeout(() => resolve(value()), ms));
  return {
    windows,
    source: {
      async reserve(asked: number): Promise<Reservation> {
        const answered = await later(latencyMs / 2, () => answer(asked));
        return later(latencyMs / 2, () => answered);
      },
    },
    /** The window a call sent now is spent in. */
    running: (): Window => {
      const now = performance.now();
      const window = windows.find((each) => each.start <= now && now < each.end);
      if (window === undefined) throw new Error('a call sent outside any window');
      return window;
    },
  };
}

describe('polls and blocks of a window two replicas share', () => {
  const windows: BudgetWindows = { perMinute: 6, seconds: 10, points: 64, sustainedPerMinute: 384 };

  it('are always among the first half the fleet counted, whatever the interleaving', async () => {
    const event = fc.record({
      replica: fc.integer({ min: 0, max: 1 }),
      background: fc.boolean(),
      gapMs: fc.integer({ min: 0, max: 400 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 50, maxLength: 400 }), async (events) => {
        const shared = sharedWindow(windows.points, windows.seconds, 4);
        const budgets = [0, 1].map(() =>
          createCallBudget({ limiter: createBudgetBlocks(windows, shared.source) }),
        );
        const calls: Promise<void>[] = [];
        for (const { replica, background, gapMs } of events) {
          const budget = budgets[replica] as CallBudget;
          calls.push(
            background
              ? budget.takeBackground().then(
                  (passage) => {
                    passage.settle(true);
                    shared.running().polls += 1;
                  },
                  () => undefined,
                )
              : budget.take(never, performance.now() + 50).then(
                  (passage) => {
                    passage.settle(true);
                    shared.running().interactive += 1;
                  },
                  () => undefined,
                ),
          );
          await vi.advanceTimersByTimeAsync(gapMs);
        }
        await vi.advanceTimersByTimeAsync(100);
        await Promise.all(calls);
        for (const window of shared.windows) {
          expect(window.polls).toBeLessThanOrEqual(backgroundShare(windows.points));
          expect(window.polls + window.interactive).toBeLessThanOrEqual(windows.points);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('alone, still get a share of each window', async () => {
    const shared = sharedWindow(windows.points, windows.seconds, 4);
    const budgets = [0, 1].map(() =>
      createCallBudget({ limiter: createBudgetBlocks(windows, shared.source) }),
    );
    for (let n = 0; n < 400; n += 1) {
      const budget = budgets[n % 2] as CallBudget;
      // Counted in the window it is sent in, once the reservation is answered.
      const sent = poll(budget).then((let_through) => {
        if (let_through) shared.running().polls += 1;
      });
      await vi.advanceTimersByTimeAsync(50);
      await sent;
    }
    const full = shared.windows.slice(0, -1);
    expect(full.length).toBeGreaterThan(0);
    for (const window of full) {
      expect(window.polls).toBeGreaterThan(0);
      expect(window.polls).toBeLessThanOrEqual(32);
    }
  });
});

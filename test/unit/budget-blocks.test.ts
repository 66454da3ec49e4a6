import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createBudgetBlocks,
  type BlockSource,
  type BudgetBlocks,
  type Reservation,
} from '../../src/fleet/budget-blocks.js';
import type { BudgetWindows } from '../../src/fleet/budget-windows.js';
import { createCallBudget, type CallBudget } from '../../src/fleet/call-budget.js';
import type { Passage } from '../../src/partner-center/call-gate.js';

/** Each attempt has a signal of its own, as in the http client (one per attempt). */
const ownSignal = () => new AbortController().signal;

interface Window {
  readonly start: number;
  readonly end: number;
  /** What the store counted, refused requests included (Redis's INCRBY does the same). */
  counted: number;
  /** Calls the replicas spent while it ran. */
  spent: number;
}

/**
 * One fixed window shared by every replica, as rate-limiter-flexible keeps it in Redis: it starts
 * at the first request after the previous one ended, and a request counts whether or not it fits.
 * A request reaches the store `latencyMs / 2` after it is sent and its answer comes as long after.
 */
function sharedWindow(points: number, seconds: number, latencyMs = 0) {
  const windows: Window[] = [];
  const requests: number[] = [];
  const current = (now: number): Window => {
    const last = windows.at(-1);
    if (last !== undefined && now < last.end) return last;
    const opened = { start: now, end: now + seconds * 1000, counted: 0, spent: 0 };
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
  const source: BlockSource = {
    async reserve(asked) {
      requests.push(asked);
      if (latencyMs === 0) return answer(asked);
      const answered = await later(latencyMs / 2, () => answer(asked));
      return later(latencyMs / 2, () => answered);
    },
  };
  const running = (): Window | undefined => {
    const now = performance.now();
    return windows.find((each) => each.start <= now && now < each.end);
  };
  /** Records a call spent now, in the window running now (or none: a bug). */
  const spend = () => {
    const window = running();
    if (window === undefined) throw new Error(`a call spent outside any window`);
    window.spent += 1;
  };
  return { windows, requests, source, spend, running };
}

const windowsOf = (points: number, seconds: number): BudgetWindows => ({
  perMinute: 60 / seconds,
  seconds,
  points,
  sustainedPerMinute: (60 / seconds) * points,
});

/** One call through `blocks`, as the call budget asks: in hand first, else a request. */
async function take(blocks: BudgetBlocks, spend: () => void): Promise<boolean> {
  if (blocks.takeReserved() !== undefined) {
    spend();
    return true;
  }
  const answer = await blocks.tryTake();
  if (answer.granted) spend();
  return answer.granted;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createBudgetBlocks', () => {
  it('spends blocks reserved in one request each, growing with the calls it sees', async () => {
    const shared = sharedWindow(16_000, 60);
    const blocks = createBudgetBlocks(windowsOf(16_000, 60), shared.source);
    for (let n = 0; n < 2_000; n += 1) expect(await take(blocks, shared.spend)).toBe(true);
    // Doubling from one call while the calls come faster than 1/16 of the window.
    expect(shared.requests).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1_000]);
    expect(shared.windows).toMatchObject([{ counted: 2_023, spent: 2_000 }]);
  });

  it('asks call by call when 1/16 of the window is less than one call', async () => {
    const shared = sharedWindow(20, 60);
    const blocks = createBudgetBlocks(windowsOf(20, 60), shared.source);
    const outcomes: boolean[] = [];
    for (let n = 0; n < 25; n += 1) outcomes.push(await take(blocks, shared.spend));
    expect(outcomes.filter(Boolean)).toHaveLength(20);
    // The 20th answer says the window is full: the rest are refused here, without asking.
    expect(shared.requests).toEqual(Array.from({ length: 20 }, () => 1));
    expect(blocks.takeReserved()).toBeUndefined();
  });

  it('spends the whole window alone: it never asks for more than was left', async () => {
    const shared = sharedWindow(1_000, 60);
    const blocks = createBudgetBlocks(windowsOf(1_000, 60), shared.source);
    let granted = 0;
    for (let n = 0; n < 1_200; n += 1) if (await take(blocks, shared.spend)) granted += 1;
    expect(granted).toBe(1_000);
    expect(shared.windows).toMatchObject([{ counted: 1_000, spent: 1_000 }]);
    expect(Math.max(...shared.requests)).toBe(62);
  });

  it('voids the calls in hand when their window ends, and asks the next one afresh', async () => {
    const shared = sharedWindow(1_600, 1);
    const blocks = createBudgetBlocks(windowsOf(1_600, 1), shared.source);
    for (let n = 0; n < 4; n += 1) await take(blocks, shared.spend);
    expect(shared.requests).toEqual([1, 2, 4]);
    await vi.advanceTimersByTimeAsync(1_000);
    // Three left from the block of four: void now.
    expect(blocks.takeReserved()).toBeUndefined();
    expect(await take(blocks, shared.spend)).toBe(true);
    expect(shared.windows).toMatchObject([
      { counted: 7, spent: 4 },
      { counted: 1, spent: 1 },
    ]);
  });

  it('lets callers ride a request on its way while it has room', async () => {
    const shared = sharedWindow(16_000, 60, 2);
    const blocks = createBudgetBlocks(windowsOf(16_000, 60), shared.source);
    const calls = Array.from({ length: 5 }, () => take(blocks, shared.spend));
    await vi.advanceTimersByTimeAsync(2);
    expect(await Promise.all(calls)).toEqual([true, true, true, true, true]);
    // 1 for the first caller, 2 for the second and third, 4 for the fourth and fifth.
    expect(shared.requests).toEqual([1, 2, 4]);
    expect(blocks.takeReserved()).toBeDefined();
    expect(blocks.takeReserved()).toBeDefined();
    expect(blocks.takeReserved()).toBeUndefined();
  });

  it('near the end of a window asks only for what its rate will spend before it ends', async () => {
    // 1/16 of a 16-s window is 1 s; one call a millisecond is 1,000 a second, the largest block.
    const shared = sharedWindow(16_000, 16);
    const blocks = createBudgetBlocks(windowsOf(16_000, 16), shared.source);
    for (let n = 0; n < 15_990; n += 1) {
      await take(blocks, shared.spend);
      await vi.advanceTimersByTimeAsync(1);
    }
    const [first] = shared.windows;
    expect(first?.spent).toBe(15_990);
    // Without shrinking, a block of 1,000 taken late in the window would mostly be lost.
    expect((first?.counted ?? 0) - 15_990).toBeLessThan(20);
  });

  it('refuses what the last answer saw full until the window ends, without asking', async () => {
    const shared = sharedWindow(3, 10);
    const blocks = createBudgetBlocks(windowsOf(3, 10), shared.source);
    for (let n = 0; n < 3; n += 1) await take(blocks, shared.spend);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(await blocks.tryTake()).toEqual({ granted: false, retryInMs: 6_000 });
    expect(shared.requests).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(6_000);
    expect(await blocks.tryTake()).toMatchObject({ granted: true });
    expect(shared.requests).toHaveLength(4);
  });

  it('gives a block answered as one call (the insurance) to its first rider, the others ask alone', async () => {
    const requests: number[] = [];
    const blocks = createBudgetBlocks(windowsOf(16_000, 60), {
      reserve(points) {
        requests.push(points);
        return Promise.resolve({ granted: true, points: 1, remaining: undefined, endsInMs: 0 });
      },
    });
    // Grow the block size first: the first three calls come one after another.
    for (let n = 0; n < 3; n += 1) await blocks.tryTake();
    const riders = [blocks.tryTake(), blocks.tryTake(), blocks.tryTake()];
    expect(await Promise.all(riders)).toEqual(Array.from({ length: 3 }, () => ({ granted: true })));
    expect(requests).toEqual([1, 2, 3, 4, 1, 1]);
    expect(blocks.takeReserved()).toBeUndefined();
  });

  it('drops the calls in hand and what it learnt when the limiter behind changes', async () => {
    const shared = sharedWindow(16_000, 60);
    const blocks = createBudgetBlocks(windowsOf(16_000, 60), shared.source);
    for (let n = 0; n < 4; n += 1) await take(blocks, shared.spend);
    blocks.forget();
    expect(blocks.takeReserved()).toBeUndefined();
    expect(await take(blocks, shared.spend)).toBe(true);
    expect(shared.requests).toEqual([1, 2, 4, 5]);
  });

  it('takes a call its attempt never sent back into the hand, while its window runs', async () => {
    const shared = sharedWindow(20, 10);
    const blocks = createBudgetBlocks(windowsOf(20, 10), shared.source);
    const granted = await blocks.tryTake();
    if (!granted.granted) throw new Error('an empty window grants');
    shared.spend();
    expect(granted.giveBack?.()).toBe(true);
    // The next caller spends it from the hand: no request, and the window counted it once.
    expect(blocks.takeReserved()).toBeDefined();
    expect(shared.requests).toEqual([1]);
    expect(blocks.takeReserved()).toBeUndefined();
  });

  it('gives nothing back to a window that has ended, or across a change of limiter', async () => {
    const shared = sharedWindow(20, 10);
    const blocks = createBudgetBlocks(windowsOf(20, 10), shared.source);
    const late = await blocks.tryTake();
    const beforeForget = await blocks.tryTake();
    if (!late.granted || !beforeForget.granted) throw new Error('an empty window grants');
    blocks.forget();
    expect(beforeForget.giveBack?.()).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(late.giveBack?.()).toBe(false);
    expect(blocks.takeReserved()).toBeUndefined();
  });

  it('lets replicas sharing a window spend no more than its points, and strand little', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(40, 160, 1_000, 5_000),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 0, max: 20 })), {
          minLength: 200,
          maxLength: 1_500,
        }),
        async (points, replicas, latencyMs, arrivals) => {
          const shared = sharedWindow(points, 1, latencyMs);
          const fleet = Array.from({ length: replicas }, () =>
            createCallBudget({ limiter: createBudgetBlocks(windowsOf(points, 1), shared.source) }),
          );
          const calls: Promise<unknown>[] = [];
          for (const [replica, gapMs] of arrivals) {
            const budget = fleet[replica % replicas] as CallBudget;
            if (budget.takeNow() !== undefined) shared.spend();
            else {
              calls.push(
                budget
                  .take(ownSignal(), performance.now() + 300)
                  .then(shared.spend, () => undefined),
              );
            }
            await vi.advanceTimersByTimeAsync(gapMs);
          }
          await vi.advanceTimersByTimeAsync(2_000);
          await Promise.all(calls);
          const maxBlock = Math.max(1, Math.floor(points / 16));
          for (const window of shared.windows) {
            expect(window.spent).toBeLessThanOrEqual(points);
            // Refused requests count too: the store's count is no bound on what was spent.
            if (window.counted > points) {
              // Full: what no call spent is at most a block in each replica's hand, and one
              // block that no longer fitted.
              expect(points - window.spent).toBeLessThanOrEqual((replicas + 1) * maxBlock);
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('calls given back by replicas sharing a window', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never lets a window spend more than its points, however many attempts give theirs back', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(40, 160, 1_000),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 6 }),
        // Which replica, the gap before the next call, how long its attempt waits for a slot
        // before it is sent (or given up), and whether it is sent.
        fc.array(
          fc.tuple(
            fc.nat(2),
            fc.integer({ min: 0, max: 20 }),
            fc.integer({ min: 0, max: 1_500 }),
            fc.boolean(),
          ),
          { minLength: 100, maxLength: 500 },
        ),
        async (points, replicas, latencyMs, arrivals) => {
          const shared = sharedWindow(points, 1, latencyMs);
          const fleet = Array.from({ length: replicas }, () =>
            createCallBudget({ limiter: createBudgetBlocks(windowsOf(points, 1), shared.source) }),
          );
          const calls: Promise<unknown>[] = [];
          let notSent = 0;
          let outside = 0;
          // A call sent counts in the window that granted it, however late it is sent.
          const settleLater = (passage: Passage, slotWaitMs: number, sent: boolean) => {
            const grantedIn = shared.running();
            return new Promise<void>((resolve) => {
              setTimeout(() => {
                passage.settle(sent);
                if (!sent) notSent += 1;
                else if (grantedIn === undefined) outside += 1;
                else grantedIn.spent += 1;
                resolve();
              }, slotWaitMs);
            });
          };
          for (const [replica, gapMs, slotWaitMs, sent] of arrivals) {
            const budget = fleet[replica % replicas] as CallBudget;
            const now = budget.takeNow();
            if (now !== undefined) calls.push(settleLater(now, slotWaitMs, sent));
            else {
              calls.push(
                budget.take(ownSignal(), performance.now() + 300).then(
                  (passage) => settleLater(passage, slotWaitMs, sent),
                  () => undefined,
                ),
              );
            }
            await vi.advanceTimersByTimeAsync(gapMs);
          }
          await vi.advanceTimersByTimeAsync(3_000);
          await Promise.all(calls);
          expect(outside).toBe(0);
          for (const window of shared.windows) expect(window.spent).toBeLessThanOrEqual(points);
          // Calls given back are granted again: the windows still fill.
          if (notSent > 0) expect(shared.windows.some((w) => w.spent > 0)).toBe(true);
        },
      ),
      { numRuns: 20 },
    );
  }, 60_000);
});

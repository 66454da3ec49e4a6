import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBudgetBlocks, type BlockSource } from '../../src/fleet/budget-blocks.js';
import { createBudgetLimiter } from '../../src/fleet/budget-limiter.js';
import { budgetWindows, type BudgetWindows } from '../../src/fleet/budget-windows.js';
import { createCallBudget, type WindowLimiter } from '../../src/fleet/call-budget.js';
import type { Passage } from '../../src/partner-center/call-gate.js';
import { captureLogs } from '../helpers/log-capture.js';

/** Each attempt has a signal of its own, as in the http client (one per attempt). */
const ownSignal = () => new AbortController().signal;

/**
 * One replica whose Redis restarts empty and comes and goes at random times, on a fake clock:
 * the shared windows (blocks over a store that forgets everything at each restart) and the
 * local insurance windows (a fresh limiter at each switch: the worst a switch can do) both
 * start afresh, again and again. What the replica sends must stay within the budget anyway.
 */

/** The shared fixed window as rate-limiter-flexible keeps it in Redis; `restart` empties it. */
function restartingStore(windows: BudgetWindows) {
  let endsAt = 0;
  let counted = 0;
  const source: BlockSource = {
    reserve(points) {
      const now = performance.now();
      if (now >= endsAt) {
        endsAt = now + windows.seconds * 1000;
        counted = 0;
      }
      counted += points;
      return Promise.resolve(
        counted <= windows.points
          ? { granted: true, points, remaining: windows.points - counted, endsInMs: endsAt - now }
          : { granted: false, retryInMs: endsAt - now },
      );
    },
  };
  return {
    source,
    restart() {
      endsAt = 0;
    },
  };
}

/** Shared (blocks) or local (insurance) as `createBudgetLimiter` switches, on command. */
function switchingLimiter(windows: BudgetWindows) {
  const store = restartingStore(windows);
  const blocks = createBudgetBlocks(windows, store.source);
  let local = createBudgetLimiter(windows, undefined, captureLogs().logger);
  let shared = true;
  const listeners: (() => void)[] = [];
  const limiter: WindowLimiter = {
    onChange: (listener) => listeners.push(listener),
    tryTake: () => (shared ? blocks.tryTake() : local.tryTake()),
    takeReserved: () => (shared ? blocks.takeReserved() : undefined),
  };
  return {
    limiter,
    toggle() {
      shared = !shared;
      if (shared) store.restart();
      else local = createBudgetLimiter(windows, undefined, captureLogs().logger);
      blocks.forget();
      for (const listener of listeners) listener();
    },
  };
}

/** Most sends inside any closed interval of 60 s (it suffices to start one at every send). */
function busiestMinute(sends: readonly number[]): number {
  const sorted = [...sends].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (j < sorted.length && (sorted[j] as number) <= (sorted[i] as number) + 60_000) j += 1;
    most = Math.max(most, j - i);
  }
  return most;
}

interface Step {
  readonly gapMs: number;
  /** A switch between shared and local (a Redis restarted empty when it comes back), or a call. */
  readonly toggle: boolean;
  /** How long the granted call waits for a slot before it is sent, or given up. */
  readonly slotWaitMs: number;
  readonly sent: boolean;
}

const step = fc.record({
  gapMs: fc.integer({ min: 0, max: 3_000 }),
  toggle: fc.boolean(),
  slotWaitMs: fc.integer({ min: 0, max: 2_000 }),
  sent: fc.boolean(),
});

/** Runs the steps; the times (fake clock) at which calls were sent. */
async function run(
  n: number,
  steps: readonly Step[],
  withRecord: boolean,
): Promise<{ sends: number[]; notSent: number }> {
  const windows = budgetWindows(n);
  const switching = switchingLimiter(windows);
  const budget = createCallBudget({
    limiter: switching.limiter,
    replicaCallsPerMinute: withRecord ? (windows.perMinute + 1) * windows.points : undefined,
  });
  const sends: number[] = [];
  let notSent = 0;
  const calls: Promise<void>[] = [];
  const settleLater = (passage: Passage, { slotWaitMs, sent }: Step) =>
    new Promise<void>((resolve) => {
      setTimeout(() => {
        passage.settle(sent);
        if (sent) sends.push(performance.now());
        else notSent += 1;
        resolve();
      }, slotWaitMs);
    });
  for (const each of steps) {
    await vi.advanceTimersByTimeAsync(each.gapMs);
    if (each.toggle) {
      switching.toggle();
      continue;
    }
    const now = budget.takeNow();
    if (now !== undefined) {
      calls.push(settleLater(now, each));
      continue;
    }
    calls.push(
      budget.take(ownSignal(), performance.now() + 5_000).then(
        (passage) => settleLater(passage, each),
        () => undefined,
      ),
    );
  }
  await vi.advanceTimersByTimeAsync(10_000);
  await Promise.all(calls);
  return { sends, notSent };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the call budget while Redis restarts and comes and goes', () => {
  it('never lets one replica send more than the budget in any 60 s', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(2, 3, 10, 60, 500),
        fc.array(step, { minLength: 50, maxLength: 400 }),
        async (n, steps) => {
          const { sends } = await run(n, steps, true);
          expect(busiestMinute(sends)).toBeLessThanOrEqual(n);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the budget where the windows alone break it: each switch starts a fresh window', async () => {
    // Two calls a minute: 60-s windows of one call. Shared, local, shared (Redis empty) again.
    const call: Step = { gapMs: 100, toggle: false, slotWaitMs: 0, sent: true };
    const toggle: Step = { ...call, toggle: true };
    const steps = [call, toggle, call, toggle, call, toggle, call, toggle, call];

    expect((await run(2, steps, false)).sends).toHaveLength(5);
    expect((await run(2, steps, true)).sends).toHaveLength(2);
  });

  it('still sends as much as the windows allow when nothing switches', async () => {
    // 60 a minute: 6-s windows of 5 calls; one call a second for two minutes.
    const steps = Array.from({ length: 120 }, (): Step => ({
      gapMs: 1_000,
      toggle: false,
      slotWaitMs: 50,
      sent: true,
    }));
    const { sends } = await run(60, steps, true);
    // 5 of every 6 s, give or take a window at either end.
    expect(sends.length).toBeGreaterThanOrEqual(95);
    expect(busiestMinute(sends)).toBeLessThanOrEqual(55);
  });
});

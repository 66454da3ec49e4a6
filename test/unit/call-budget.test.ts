import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBudgetLimiter } from '../../src/fleet/budget-limiter.js';
import { budgetWindows } from '../../src/fleet/budget-windows.js';
import { createCallBudget, type WindowLimiter } from '../../src/fleet/call-budget.js';
import { createFleetGate } from '../../src/fleet/fleet-gate.js';
import { createSharedHolds } from '../../src/fleet/shared-holds.js';
import type { Passage } from '../../src/partner-center/call-gate.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';
import { captureLogs } from '../helpers/log-capture.js';

/** A window of `points` calls every `ms`, counting every call that was granted. */
function windowOf(points: number, ms: number): WindowLimiter & { granted: number } {
  let endsAt = 0;
  let used = 0;
  const limiter = {
    granted: 0,
    tryTake() {
      const now = Date.now();
      if (now >= endsAt) {
        endsAt = now + ms;
        used = 0;
      }
      if (used < points) {
        used += 1;
        limiter.granted += 1;
        return Promise.resolve({ granted: true as const });
      }
      return Promise.resolve({ granted: false as const, retryInMs: endsAt - now });
    },
  };
  return limiter;
}

const never = new AbortController().signal;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createCallBudget', () => {
  it('lets waiters through in arrival order as windows open', async () => {
    const budget = createCallBudget({ limiter: windowOf(1, 1_000) });
    const order: number[] = [];
    const calls = [1, 2, 3].map((n) =>
      budget.take(never, performance.now() + 10_000).then((passage) => {
        order.push(n);
        return passage.budgetWaitMs;
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([1]);
    expect(budget.waiting()).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual([1, 2]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(order).toEqual([1, 2, 3]);
    expect(await Promise.all(calls)).toEqual([0, 1_000, 2_000]);
  });

  it('refuses at once, with retryAfter, a call whose room comes too late', async () => {
    const outcomes: string[] = [];
    const budget = createCallBudget({
      limiter: windowOf(1, 6_000),
      roundTripMs: () => 200,
      observe: (outcome) => outcomes.push(outcome),
    });
    await budget.take(never, performance.now() + 1_000);
    const refused = budget.take(never, performance.now() + 1_000);
    await expect(refused).rejects.toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 6 });
    expect(outcomes).toEqual(['granted', 'refused']);
  });

  it('refuses a waiter when its time runs out, before the window opens', async () => {
    const budget = createCallBudget({ limiter: windowOf(1, 10_000), roundTripMs: () => 100 });
    await budget.take(never, performance.now() + 60_000);
    // The window ends in 10 s; this one may wait 12 s: it waits, then the first window ends.
    const patient = budget.take(never, performance.now() + 12_000);
    // This one could, by the window it saw, but another waiter is ahead and takes the room.
    const behind = budget.take(never, performance.now() + 12_000);
    const settled = Promise.allSettled([patient, behind]);
    await vi.advanceTimersByTimeAsync(12_000);
    const [first, second] = await settled;
    expect(first).toMatchObject({ status: 'fulfilled', value: { budgetWaitMs: 10_000 } });
    expect(second.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason).toBeInstanceOf(UpstreamError);
    expect((second as PromiseRejectedResult).reason).toMatchObject({ kind: 'rate-limited' });
  });

  it('spends nothing for a waiter that gave up: the call goes to the next one', async () => {
    const limiter = windowOf(1, 1_000);
    const budget = createCallBudget({ limiter });
    await budget.take(never, Number.POSITIVE_INFINITY);
    const gone = new AbortController();
    const abandoned = budget.take(gone.signal, Number.POSITIVE_INFINITY);
    const next = budget.take(never, Number.POSITIVE_INFINITY);
    gone.abort(new Error('client went away'));
    await expect(abandoned).rejects.toThrow('client went away');
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await next).budgetWaitMs).toBe(1_000);
    expect(limiter.granted).toBe(2);
    expect(budget.waiting()).toBe(0);
  });

  it('keeps one listener on a signal sixty waiters share, whether they are let through or leave', async () => {
    const limiter = windowOf(20, 1_000);
    const budget = createCallBudget({ limiter });
    const operation = new AbortController();
    const calls = Array.from({ length: 60 }, () =>
      budget.take(operation.signal, Number.POSITIVE_INFINITY),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(budget.waiting()).toBe(40);
    expect(getEventListeners(operation.signal, 'abort')).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1_000);
    operation.abort(new Error('client went away'));
    const settled = await Promise.allSettled(calls);
    expect(settled.map((outcome) => outcome.status)).toEqual([
      ...Array.from({ length: 40 }, () => 'fulfilled'),
      ...Array.from({ length: 20 }, () => 'rejected'),
    ]);
    expect(limiter.granted).toBe(40);
    expect(budget.waiting()).toBe(0);
  });
});

describe('createFleetGate holds', () => {
  const gateWith = (retryAfterMaxMs: number) => {
    const refusals: string[] = [];
    const holds = createSharedHolds({ connection: undefined, logger: captureLogs().logger });
    const gate = createFleetGate({
      holds,
      retryAfterMaxMs,
      onRefused: (reason) => refusals.push(reason),
    });
    return { gate, refusals };
  };

  it('waits out a short hold on the same key, and only that key', async () => {
    const { gate } = gateWith(5_000);
    gate.throttled('customer:a', 2_000);
    expect((await gate.pass('customer:b', never, performance.now() + 10_000)).budgetWaitMs).toBe(0);
    let passed = false;
    const held = gate.pass('customer:a', never, performance.now() + 10_000).then(() => {
      passed = true;
    });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(passed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await held;
    expect(passed).toBe(true);
  });

  it('lets a key pass at once only while nothing holds it and no budget must be asked', () => {
    const { gate } = gateWith(5_000);
    expect(gate.passNow('customer:a') !== undefined).toBe(true);
    gate.throttled('customer:a', 2_000);
    expect(gate.passNow('customer:a') !== undefined).toBe(false);
    expect(gate.passNow('customer:b') !== undefined).toBe(true);

    const budgeted = createFleetGate({
      holds: createSharedHolds({ connection: undefined, logger: captureLogs().logger }),
      budget: createCallBudget({ limiter: windowOf(10, 60_000) }),
      retryAfterMaxMs: 5_000,
    });
    expect(budgeted.passNow('customer:b') !== undefined).toBe(false);
  });

  it('answers RATE_LIMITED at once for a hold too long to wait or past the deadline', async () => {
    const { gate, refusals } = gateWith(5_000);
    gate.throttled('customer:a', 30_000);
    await expect(gate.pass('customer:a', never, performance.now() + 60_000)).rejects.toMatchObject({
      kind: 'rate-limited',
      retryAfterSeconds: 30,
    });
    gate.throttled('route:GET /v1/customers', 3_000);
    await expect(
      gate.pass('route:GET /v1/customers', never, performance.now() + 2_000),
    ).rejects.toMatchObject({ kind: 'rate-limited', retryAfterSeconds: 3 });
    expect(refusals).toEqual(['hold', 'hold']);
  });
});

describe('calls in hand', () => {
  /** A window of one call a second, plus `inHand` calls reserved earlier. */
  const withHand = (inHand: number) => {
    const limiter = windowOf(1, 1_000);
    let left = inHand;
    const reserved: WindowLimiter = {
      tryTake: () => limiter.tryTake(),
      takeReserved() {
        if (left === 0) return undefined;
        left -= 1;
        return { granted: true };
      },
    };
    return { reserved, left: () => left };
  };

  it('spends one at once, counted as granted without waiting, and never ahead of a waiter', async () => {
    const outcomes: string[] = [];
    const { reserved, left } = withHand(2);
    const budget = createCallBudget({
      limiter: reserved,
      observe: (outcome, waited) => outcomes.push(`${outcome} ${waited}`),
    });
    expect(budget.takeNow() !== undefined).toBe(true);
    // The window's one call, then a waiter: the call still in hand must not jump the queue.
    await budget.take(never, Number.POSITIVE_INFINITY);
    const waiter = budget.take(never, Number.POSITIVE_INFINITY);
    await vi.advanceTimersByTimeAsync(0);
    expect(budget.waiting()).toBe(1);
    expect(budget.takeNow() !== undefined).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await waiter).budgetWaitMs).toBe(1_000);
    expect(budget.takeNow() !== undefined).toBe(true);
    expect(left()).toBe(0);
    expect(budget.takeNow() !== undefined).toBe(false);
    expect(outcomes).toEqual(['granted 0', 'granted 0', 'granted 1', 'granted 0']);
  });

  it('lets the fleet gate pass at once only when nothing holds the key', () => {
    const holds = createSharedHolds({ connection: undefined, logger: captureLogs().logger });
    const { reserved, left } = withHand(1);
    const gate = createFleetGate({
      holds,
      budget: createCallBudget({ limiter: reserved }),
      retryAfterMaxMs: 5_000,
    });
    gate.throttled('customer:a', 2_000);
    expect(gate.passNow('customer:a') !== undefined).toBe(false);
    expect(left()).toBe(1);
    expect(gate.passNow('customer:b') !== undefined).toBe(true);
    expect(gate.passNow('customer:b') !== undefined).toBe(false);
    const open = createFleetGate({ holds, retryAfterMaxMs: 5_000 });
    expect(open.passNow('customer:b') !== undefined).toBe(true);
  });
});

describe('calls granted and never sent', () => {
  // 10 a minute: 15-s windows of 2 calls, this replica's own (no Redis).
  const budgetOf = () =>
    createCallBudget({
      limiter: createBudgetLimiter(budgetWindows(10), undefined, captureLogs().logger),
      replicaCallsPerMinute: 10,
    });

  it('gives a call shed before it was sent back: the next caller gets it at once', async () => {
    const budget = budgetOf();
    const sent = await budget.take(never, performance.now() + 1_000);
    const shed = await budget.take(never, performance.now() + 1_000);
    sent.settle(true);
    shed.settle(false);
    // Another caller, within the same window: the shed call is its, without a wait.
    const next = await budget.take(never, performance.now() + 1_000);
    expect(next.budgetWaitMs).toBe(0);
    next.settle(true);
    // One call given back, not more: the window is full again.
    await expect(budget.take(never, performance.now() + 1_000)).rejects.toMatchObject({
      kind: 'rate-limited',
    });
  });

  it('hands a call given back to the caller already waiting for room', async () => {
    const budget = budgetOf();
    await budget.take(never, performance.now() + 1_000);
    const cancelled = await budget.take(never, performance.now() + 1_000);
    let waited: number | undefined;
    const patient = budget.take(never, performance.now() + 20_000).then((passage) => {
      waited = passage.budgetWaitMs;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(budget.waiting()).toBe(1);
    cancelled.settle(false);
    await vi.advanceTimersByTimeAsync(0);
    await patient;
    // Long before the window's end, 15 s away.
    expect(waited).toBe(100);
  });

  it('says once what became of a call: a second word changes nothing', async () => {
    const budget = budgetOf();
    const first = await budget.take(never, performance.now() + 1_000);
    await budget.take(never, performance.now() + 1_000);
    first.settle(true);
    first.settle(false);
    await expect(budget.take(never, performance.now() + 1_000)).rejects.toMatchObject({
      kind: 'rate-limited',
    });
  });

  it('gives nothing back to a window that has ended: the next one starts full', async () => {
    const budget = budgetOf();
    const late = await budget.take(never, performance.now() + 1_000);
    (await budget.take(never, performance.now() + 1_000)).settle(true);
    await vi.advanceTimersByTimeAsync(15_000);
    late.settle(false);
    const granted: Passage[] = [];
    for (let n = 0; n < 2; n += 1)
      granted.push(await budget.take(never, performance.now() + 1_000));
    await expect(budget.take(never, performance.now() + 1_000)).rejects.toMatchObject({
      kind: 'rate-limited',
    });
  });
});

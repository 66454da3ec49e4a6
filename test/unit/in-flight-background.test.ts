import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createInFlightLimit,
  type HoldTimeRecorder,
  type Release,
} from '../../src/partner-center/in-flight-limit.js';

/** Background (`watch`) calls take only slots no interactive call wants, and give them back. */

const never = new AbortController().signal;
const noYield = () => undefined;

/** A fixed estimate, noting what it is told. */
function holdTimes(cautiousMs: number) {
  const recorded: number[] = [];
  const atLeast: number[] = [];
  const recorder: HoldTimeRecorder = {
    record: (ms) => recorded.push(ms),
    censored: (ms) => atLeast.push(ms),
    cautiousMs: () => cautiousMs,
  };
  return { recorded, atLeast, recorder };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('background slots', () => {
  it('refuses a poll while an interactive call waits, though a slot frees meanwhile', async () => {
    const limit = createInFlightLimit(2);
    const first = limit.tryAcquire();
    const second = limit.tryAcquire();
    const waiting = limit.acquire(never);

    expect(limit.tryAcquireBackground(noYield)).toBeUndefined();
    first?.('answered');
    // The freed slot went to the waiter; the poll that asks now finds none.
    expect(limit.tryAcquireBackground(noYield)).toBeUndefined();
    (await waiting)('answered');
    second?.('answered');

    // Nobody waits and slots are free: now a poll gets one.
    expect(limit.tryAcquireBackground(noYield)).toBeTypeOf('function');
  });

  it.each([1, 2, 3, 4, 5, 16])('never gives polls more than ceil(%i / 2) slots', (max) => {
    const limit = createInFlightLimit(max);
    const polls: Release[] = [];
    for (let n = 0; n < max; n += 1) {
      const slot = limit.tryAcquireBackground(noYield);
      if (slot !== undefined) polls.push(slot);
    }

    expect(polls).toHaveLength(Math.ceil(max / 2));
    // The other slots are the interactive calls', at once.
    const interactive = Array.from({ length: max - polls.length }, () => limit.tryAcquire());
    expect(interactive.every((slot) => typeof slot === 'function')).toBe(true);
    // A poll that ends frees its share for the next poll.
    polls[0]?.('answered');
    expect(limit.tryAcquireBackground(noYield)).toBeTypeOf('function');
  });

  it('hands a slot a poll frees to the interactive waiter, never to a poll that came later', async () => {
    const limit = createInFlightLimit(1);
    const poll = limit.tryAcquireBackground(noYield);
    const order: string[] = [];
    const interactive = limit.acquire(never).then((release) => {
      order.push('interactive');
      return release;
    });
    expect(limit.tryAcquireBackground(noYield)).toBeUndefined();

    poll?.('answered');
    const release = await interactive;
    expect(order).toEqual(['interactive']);
    expect(limit.tryAcquireBackground(noYield)).toBeUndefined();
    release('answered');
    expect(limit.load()).toEqual({ active: 0, queued: 0 });
  });

  it('leaves polls out of the load admission sees', () => {
    const limit = createInFlightLimit(4);
    const polls = [limit.tryAcquireBackground(noYield), limit.tryAcquireBackground(noYield)];
    const interactive = limit.tryAcquire();

    expect(limit.load()).toEqual({ active: 1, queued: 0 });
    for (const poll of polls) poll?.('answered');
    interactive?.('answered');
    expect(limit.load()).toEqual({ active: 0, queued: 0 });
  });
});

describe('background slots and the hold-time estimate', () => {
  it("records a poll's answer as a round trip, and its timeout not at all", async () => {
    const estimate = holdTimes(100);
    const limit = createInFlightLimit(4, { holdTimes: estimate.recorder });
    const answered = limit.tryAcquireBackground(noYield);
    const timedOut = limit.tryAcquireBackground(noYield);
    await vi.advanceTimersByTimeAsync(30);

    answered?.('answered');
    timedOut?.('timed-out');

    expect(estimate.recorded).toEqual([30]);
    expect(estimate.atLeast).toEqual([]);
    // An interactive call's timeout still counts as the lower bound it is.
    const interactive = limit.tryAcquire();
    await vi.advanceTimersByTimeAsync(40);
    interactive?.('timed-out');
    expect(estimate.atLeast).toEqual([40]);
  });
});

describe('a poll yields its slot to interactive calls that wait', () => {
  it('is told to yield once it has held its slot a cautious round trip, and not before', async () => {
    const limit = createInFlightLimit(1, { holdTimes: holdTimes(200).recorder });
    let yields = 0;
    const poll = limit.tryAcquireBackground(() => {
      yields += 1;
    });
    await vi.advanceTimersByTimeAsync(50);
    const interactive = limit.acquire(never, performance.now() + 10_000);

    await vi.advanceTimersByTimeAsync(149);
    expect(yields).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(yields).toBe(1);

    // The poll ends its exchange and releases: the waiter has the slot.
    poll?.('unmeasured');
    (await interactive)('answered');
    expect(yields).toBe(1);
  });

  it('is not cut when no one waits, however long it holds its slot', async () => {
    const limit = createInFlightLimit(2, { holdTimes: holdTimes(100).recorder });
    let yields = 0;
    const poll = limit.tryAcquireBackground(() => {
      yields += 1;
    });
    const interactive = limit.tryAcquire();
    await vi.advanceTimersByTimeAsync(5_000);

    expect(yields).toBe(0);
    poll?.('answered');
    interactive?.('answered');
  });

  it('cuts one poll per waiter, longest held first', async () => {
    const limit = createInFlightLimit(4, { holdTimes: holdTimes(100).recorder });
    const told: string[] = [];
    const older = limit.tryAcquireBackground(() => told.push('older'));
    await vi.advanceTimersByTimeAsync(10);
    const newer = limit.tryAcquireBackground(() => told.push('newer'));
    const busy = [limit.tryAcquire(), limit.tryAcquire()];
    const waiter = limit.acquire(never);

    await vi.advanceTimersByTimeAsync(200);
    expect(told).toEqual(['older']);

    older?.('unmeasured');
    (await waiter)('answered');
    await vi.advanceTimersByTimeAsync(200);
    expect(told).toEqual(['older']);
    newer?.('answered');
    for (const slot of busy) slot?.('answered');
    expect(limit.load()).toEqual({ active: 0, queued: 0 });
  });

  it('spares a poll whose waiter left before its round trip was up', async () => {
    const limit = createInFlightLimit(1, { holdTimes: holdTimes(100).recorder });
    let yields = 0;
    const poll = limit.tryAcquireBackground(() => {
      yields += 1;
    });
    const gone = new AbortController();
    const waiter = limit.acquire(gone.signal);
    gone.abort(new Error('client went away'));
    await expect(waiter).rejects.toThrow('client went away');

    await vi.advanceTimersByTimeAsync(500);
    expect(yields).toBe(0);
    poll?.('answered');
  });
});

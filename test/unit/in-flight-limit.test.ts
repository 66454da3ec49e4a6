import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createInFlightLimit } from '../../src/partner-center/in-flight-limit.js';

const never = new AbortController().signal;

describe('createInFlightLimit', () => {
  it('lets `max` in at once and the rest in arrival order as slots free', async () => {
    const limit = createInFlightLimit(2);
    const order: string[] = [];
    const first = await limit.acquire(never);
    const second = await limit.acquire(never);
    const third = limit.acquire(never).then((release) => {
      order.push('third');
      return release;
    });
    const fourth = limit.acquire(never).then((release) => {
      order.push('fourth');
      return release;
    });
    await Promise.resolve();
    expect(order).toEqual([]);

    first();
    first(); // a second release of the same slot frees nothing more
    await third;
    expect(order).toEqual(['third']);

    second();
    (await fourth)();
    expect(order).toEqual(['third', 'fourth']);
  });

  it('gives up waiting when the signal aborts, and the slot goes to the next waiter', async () => {
    const limit = createInFlightLimit(1);
    const held = await limit.acquire(never);
    const gone = new AbortController();
    const abandoned = limit.acquire(gone.signal);
    const next = limit.acquire(never);

    gone.abort(new Error('attempt timed out'));
    await expect(abandoned).rejects.toThrow('attempt timed out');
    held();
    const release = await next;
    release();
    // Everything freed: a new caller gets in at once.
    await expect(limit.acquire(never)).resolves.toBeTypeOf('function');
  });

  it('refuses at once a signal that has already aborted', async () => {
    const limit = createInFlightLimit(1);
    const aborted = new AbortController();
    aborted.abort(new Error('client went away'));

    await expect(limit.acquire(aborted.signal)).rejects.toThrow('client went away');
    await expect(limit.acquire(never)).resolves.toBeTypeOf('function');
  });

  it('grants a free slot without a promise, and none while all are taken or waited for', async () => {
    const limit = createInFlightLimit(1);
    const held = limit.tryAcquire();
    expect(held).toBeTypeOf('function');
    expect(limit.tryAcquire()).toBeUndefined();
    const next = limit.acquire(never);
    held?.();
    // The freed slot went to the waiter, not to whoever asks next.
    expect(limit.tryAcquire()).toBeUndefined();
    (await next)();
    expect(limit.tryAcquire()).toBeTypeOf('function');
    expect(limit.load()).toEqual({ active: 1, queued: 0 });
  });

  it('keeps one listener on a signal sixty waiters share, and ends them all when it aborts', async () => {
    const limit = createInFlightLimit(1);
    const held = await limit.acquire(never);
    const operation = new AbortController();
    const waiters = Array.from({ length: 60 }, () => limit.acquire(operation.signal));
    expect(getEventListeners(operation.signal, 'abort')).toHaveLength(1);

    operation.abort(new Error('client went away'));
    const settled = await Promise.allSettled(waiters);
    expect(settled.filter((outcome) => outcome.status === 'rejected')).toHaveLength(60);
    expect(limit.load()).toEqual({ active: 1, queued: 0 });
    held();
    expect(limit.tryAcquire()).toBeTypeOf('function');
  });
});

describe('createInFlightLimit: shedding calls that can no longer finish', () => {
  /** A fixed estimate, so the test decides what "cautious" is. */
  function holdTimes(cautiousMs: number) {
    const recorded: number[] = [];
    return { recorded, record: (ms: number) => recorded.push(ms), cautiousMs: () => cautiousMs };
  }
  function queueLog() {
    const left: string[] = [];
    return { left, observer: { left: (outcome: string) => left.push(outcome) } };
  }

  it('drops a waiter at once whose time left cannot cover a cautious round trip', async () => {
    const { left, observer } = queueLog();
    const limit = createInFlightLimit(1, { holdTimes: holdTimes(200), observer });
    const held = await limit.acquire(never);

    const hopeless = limit.acquire(never, performance.now() + 150);

    await expect(hopeless).rejects.toMatchObject({ name: 'UpstreamError', kind: 'overloaded' });
    expect(limit.load()).toEqual({ active: 1, queued: 0 });
    expect(left).toEqual(['granted', 'dropped']);
    held();
  });

  it('drops a waiter the moment its hope runs out, not at its timeout', async () => {
    const limit = createInFlightLimit(1, { holdTimes: holdTimes(50) });
    const held = await limit.acquire(never);
    const queued = limit.acquire(never, performance.now() + 100);
    expect(limit.load()).toEqual({ active: 1, queued: 1 });

    await expect(queued).rejects.toMatchObject({ kind: 'overloaded', retryAfterSeconds: 1 });
    expect(limit.load()).toEqual({ active: 1, queued: 0 });

    held();
    expect(limit.load()).toEqual({ active: 0, queued: 0 });
  });

  it('never hands a freed slot to a hopeless waiter, but to the next one that can make it', async () => {
    let cautious = 10;
    const limit = createInFlightLimit(1, {
      holdTimes: { record: () => undefined, cautiousMs: () => cautious },
    });
    const held = await limit.acquire(never);
    const soon = limit.acquire(never, performance.now() + 1000);
    const later = limit.acquire(never, performance.now() + 60_000);
    // Partner Center slowed down: a round trip now takes more than the first waiter has left.
    cautious = 5000;

    held();

    await expect(soon).rejects.toMatchObject({ kind: 'overloaded' });
    const release = await later;
    expect(limit.load()).toEqual({ active: 1, queued: 0 });
    release();
  });

  it('learns the hold time of each slot, but not of calls that were cancelled', async () => {
    const estimate = holdTimes(100);
    const limit = createInFlightLimit(2, { holdTimes: estimate });
    const measured = await limit.acquire(never);
    const cancelled = await limit.acquire(never);
    await new Promise((resolve) => setTimeout(resolve, 20));

    measured();
    cancelled(false);

    expect(estimate.recorded).toHaveLength(1);
    expect(estimate.recorded[0]).toBeGreaterThanOrEqual(15);
  });

  it('tells how each call left the queue', async () => {
    const { left, observer } = queueLog();
    const limit = createInFlightLimit(1, { holdTimes: holdTimes(1), observer });
    const held = await limit.acquire(never);
    const gone = new AbortController();
    const abandoned = limit.acquire(gone.signal, performance.now() + 60_000);
    const waiting = limit.acquire(never, performance.now() + 60_000);

    gone.abort(new Error('client went away'));
    await expect(abandoned).rejects.toThrow('client went away');
    held();
    (await waiting)();

    expect(left).toEqual(['granted', 'abandoned', 'granted']);
  });
});

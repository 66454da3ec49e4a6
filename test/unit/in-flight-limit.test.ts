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

    first('answered');
    first('answered'); // a second release of the same slot frees nothing more
    await third;
    expect(order).toEqual(['third']);

    second('answered');
    (await fourth)('answered');
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
    held('answered');
    const release = await next;
    release('answered');
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
    held?.('answered');
    // The freed slot went to the waiter, not to whoever asks next.
    expect(limit.tryAcquire()).toBeUndefined();
    (await next)('answered');
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
    held('answered');
    expect(limit.tryAcquire()).toBeTypeOf('function');
  });
});

describe('createInFlightLimit: shedding calls that can no longer finish', () => {
  /** A fixed estimate, so the test decides what "cautious" is. */
  function holdTimes(cautiousMs: number) {
    const recorded: number[] = [];
    const atLeast: number[] = [];
    return {
      recorded,
      atLeast,
      record: (ms: number) => recorded.push(ms),
      censored: (ms: number) => atLeast.push(ms),
      cautiousMs: () => cautiousMs,
    };
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
    held('answered');
  });

  it('drops a waiter the moment its hope runs out, not at its timeout', async () => {
    const limit = createInFlightLimit(1, { holdTimes: holdTimes(50) });
    const held = await limit.acquire(never);
    const queued = limit.acquire(never, performance.now() + 100);
    expect(limit.load()).toEqual({ active: 1, queued: 1 });

    await expect(queued).rejects.toMatchObject({ kind: 'overloaded', retryAfterSeconds: 1 });
    expect(limit.load()).toEqual({ active: 1, queued: 0 });

    held('answered');
    expect(limit.load()).toEqual({ active: 0, queued: 0 });
  });

  it('never hands a freed slot to a hopeless waiter, but to the next one that can make it', async () => {
    let cautious = 10;
    const limit = createInFlightLimit(1, {
      holdTimes: { record: () => undefined, censored: () => undefined, cautiousMs: () => cautious },
    });
    const held = await limit.acquire(never);
    const soon = limit.acquire(never, performance.now() + 1000);
    const later = limit.acquire(never, performance.now() + 60_000);
    // Partner Center slowed down: a round trip now takes more than the first waiter has left.
    cautious = 5000;

    held('answered');

    await expect(soon).rejects.toMatchObject({ kind: 'overloaded' });
    const release = await later;
    expect(limit.load()).toEqual({ active: 1, queued: 0 });
    release('answered');
  });

  it('learns an answered hold time as a round trip, a timed-out one as a lower bound, a cancelled one not at all', async () => {
    const estimate = holdTimes(100);
    const limit = createInFlightLimit(3, { holdTimes: estimate });
    const answered = await limit.acquire(never);
    const timedOut = await limit.acquire(never);
    const cancelled = await limit.acquire(never);
    await new Promise((resolve) => setTimeout(resolve, 20));

    answered('answered');
    timedOut('timed-out');
    cancelled('unmeasured');
    timedOut('answered'); // a second release of the same slot says nothing more

    expect(estimate.recorded).toHaveLength(1);
    expect(estimate.recorded[0]).toBeGreaterThanOrEqual(15);
    expect(estimate.atLeast).toHaveLength(1);
    expect(estimate.atLeast[0]).toBeGreaterThanOrEqual(15);
    expect(limit.load()).toEqual({ active: 0, queued: 0 });
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
    held('answered');
    (await waiting)('answered');

    expect(left).toEqual(['granted', 'abandoned', 'granted']);
  });
});

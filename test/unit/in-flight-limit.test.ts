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
});

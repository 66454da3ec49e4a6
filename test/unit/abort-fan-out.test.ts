import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort, sleep } from '../../src/partner-center/abort-fan-out.js';

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('onAbort', () => {
  it('puts one listener on a signal for sixty waits, and runs each wait still waiting once', () => {
    const operation = new AbortController();
    const ran: number[] = [];
    const stops = Array.from({ length: 60 }, (_, n) =>
      onAbort(operation.signal, () => ran.push(n)),
    );
    expect(listeners(operation.signal)).toBe(1);

    // The waits that ended another way are not told.
    for (const stop of stops.slice(0, 30)) stop();
    operation.abort(new Error('client closed the connection'));

    expect(ran).toEqual(Array.from({ length: 30 }, (_, n) => n + 30));
    expect(listeners(operation.signal)).toBe(0);
  });

  it('tells a wait that starts after the abort, asynchronously, unless it stopped first', async () => {
    const operation = new AbortController();
    onAbort(operation.signal, () => undefined);
    operation.abort(new Error('operation deadline passed'));
    const ran: string[] = [];
    onAbort(operation.signal, () => ran.push('late'));
    onAbort(operation.signal, () => ran.push('stopped'))();
    expect(ran).toEqual([]);
    await Promise.resolve();
    expect(ran).toEqual(['late']);
  });
});

describe('sleep', () => {
  it('puts one listener on a signal for sixty sleeps under it, which then all resolve', async () => {
    const operation = new AbortController();
    const sleeps = Array.from({ length: 60 }, () => sleep(5, operation.signal));
    expect(listeners(operation.signal)).toBe(1);
    await expect(Promise.all(sleeps)).resolves.toHaveLength(60);
  });

  it("rejects with the signal's reason the moment it aborts, or at once if it already has", async () => {
    const operation = new AbortController();
    const asleep = sleep(60_000, operation.signal);
    operation.abort(new Error('client closed the connection'));
    await expect(asleep).rejects.toThrow('client closed the connection');
    await expect(sleep(60_000, operation.signal)).rejects.toThrow('client closed the connection');
  });
});

import { describe, expect, it } from 'vitest';
import { createResilience } from '../../src/partner-center/resilience.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';

/** Shedding is the gateway's own decision: Partner Center did nothing wrong. */
describe('resilience and shed calls', () => {
  const resilience = () =>
    createResilience({
      retries: 2,
      retryBaseMs: 1,
      retryAfterMaxMs: 5000,
      breakerThreshold: 2,
      breakerHalfOpenMs: 60_000,
    });
  const shed = () =>
    Promise.reject(new UpstreamError('overloaded', 'shed', { retryAfterSeconds: 1 }));

  it('never retries a shed call', async () => {
    const policy = resilience();
    let attempts = 0;

    await expect(
      policy.execute(() => {
        attempts += 1;
        return shed();
      }),
    ).rejects.toMatchObject({ kind: 'overloaded' });
    expect(attempts).toBe(1);
  });

  it('never opens the circuit breaker, however many calls are shed', async () => {
    const policy = resilience();
    for (let n = 0; n < 10; n += 1) await policy.execute(shed).catch(() => undefined);

    expect(policy.breakerState()).toBe('closed');
    await expect(policy.execute(() => Promise.resolve('answered'))).resolves.toBe('answered');
  });
});

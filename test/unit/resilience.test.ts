import { getEventListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { createResilience, type Resilience } from '../../src/partner-center/resilience.js';
import { SubjectHolds } from '../../src/partner-center/subject-holds.js';
import { UpstreamError } from '../../src/partner-center/upstream-error.js';

const HALF_OPEN_MS = 100;

function resilience(threshold = 3): Resilience {
  return createResilience({
    retries: 0,
    retryBaseMs: 1,
    retryAfterMaxMs: 0,
    breakerThreshold: threshold,
    breakerHalfOpenMs: HALF_OPEN_MS,
  });
}

const outage = () => new UpstreamError('status', 'Partner Center answered 503', { status: 503 });
const forbidden = () => new UpstreamError('status', 'Partner Center answered 403', { status: 403 });

/** An upstream where each subject answers as told, counting the calls that reach it. */
function upstream() {
  const calls: string[] = [];
  const failing = new Map<string, () => Error>();
  const call = (target: Resilience, subject: string | undefined) =>
    target
      .execute(
        () => {
          calls.push(subject ?? '(none)');
          const failure = failing.get(subject ?? '(none)');
          return failure === undefined ? Promise.resolve('ok') : Promise.reject(failure());
        },
        { subject },
      )
      .catch((error: unknown) => (error instanceof UpstreamError ? error.kind : 'unexpected'));
  return { calls, failing, call };
}

/**
 * A breaker (threshold 2) after an outage failure of each of `subjects` in turn, in `state`,
 * once `BREAKER_HALF_OPEN_MS` has passed.
 */
async function failThenWait(subjects: string[], state: 'open' | 'closed') {
  const target = resilience(2);
  const seen = upstream();
  for (const subject of subjects) seen.failing.set(subject, outage);
  for (const subject of subjects) await seen.call(target, subject);
  expect(target.breakerState()).toBe(state);
  await sleep(HALF_OPEN_MS + 20);
  return { target, ...seen };
}

describe('circuit breaker counting distinct customers', () => {
  it('is not opened by one customer failing again and again; others keep working', async () => {
    const target = resilience(3);
    const { calls, failing, call } = upstream();
    failing.set('bad', outage);

    const bad = [];
    for (let n = 0; n < 20; n += 1) bad.push(await call(target, 'bad'));
    const good = await call(target, 'good');

    expect(bad).toEqual([
      ...Array.from({ length: 3 }, () => 'status'),
      ...Array.from({ length: 17 }, () => 'circuit-open'),
    ]);
    expect(good).toBe('ok');
    expect(target.breakerState()).toBe('closed');
    // The held customer fails fast on its own: 3 calls reached upstream, not 20.
    expect(calls).toEqual(['bad', 'bad', 'bad', 'good']);
  });

  it('opens after outage failures of distinct customers and then fails everyone fast', async () => {
    const target = resilience(3);
    const { calls, failing, call } = upstream();
    for (const subject of ['a', 'b', 'c']) failing.set(subject, outage);

    const results = [
      await call(target, 'a'),
      await call(target, 'a'),
      await call(target, 'b'),
      await call(target, 'c'),
      await call(target, 'healthy'),
    ];

    expect(results).toEqual(['status', 'status', 'status', 'status', 'circuit-open']);
    expect(target.breakerState()).toBe('open');
    expect(calls).toEqual(['a', 'a', 'b', 'c']);
  });

  it('counts calls about no single customer as one subject', async () => {
    const target = resilience(2);
    const { failing, call } = upstream();
    failing.set('(none)', outage);

    for (let n = 0; n < 5; n += 1) await call(target, undefined);

    expect(target.breakerState()).toBe('closed');
  });

  it('starts the streak again after any success', async () => {
    const target = resilience(3);
    const { failing, call } = upstream();
    for (const subject of ['a', 'b', 'c', 'd']) failing.set(subject, outage);

    await call(target, 'a');
    await call(target, 'b');
    await call(target, 'fine');
    await call(target, 'c');
    await call(target, 'd');

    expect(target.breakerState()).toBe('closed');
  });

  it('is not opened by failures about one caller (403)', async () => {
    const target = resilience(2);
    const { failing, call } = upstream();
    for (const subject of ['a', 'b', 'c']) failing.set(subject, forbidden);

    for (const subject of ['a', 'b', 'c']) await call(target, subject);

    expect(target.breakerState()).toBe('closed');
  });
});

describe('half-open probe', () => {
  async function opened() {
    const after = await failThenWait(['a', 'b'], 'open');
    after.calls.length = 0;
    return after;
  }

  it('opens again when the probe is an outage, even for a customer already counted', async () => {
    const { target, calls, call } = await opened();

    const probe = await call(target, 'a');
    const next = await call(target, 'healthy');

    expect([probe, next]).toEqual(['status', 'circuit-open']);
    expect(target.breakerState()).toBe('open');
    expect(calls).toEqual(['a']);
  });

  it('closes after a successful probe', async () => {
    const { target, calls, call } = await opened();

    expect(await call(target, 'healthy')).toBe('ok');
    expect(await call(target, 'other')).toBe('ok');
    expect(target.breakerState()).toBe('closed');
    expect(calls).toEqual(['healthy', 'other']);
  });

  it.each([
    ['shed by the gateway', () => new UpstreamError('overloaded', 'shed from the queue')],
    ['cancelled by its caller', () => new UpstreamError('aborted', 'client closed the connection')],
    [
      'refused by the call budget or a 429 hold',
      () => new UpstreamError('rate-limited', 'no room', { retryAfterSeconds: 6 }),
    ],
    [
      'cut short by its operation deadline',
      () => new UpstreamError('timeout', 'operation deadline passed', { cutShort: true }),
    ],
    ['ended before it was sent (no app token)', () => new Error('the authority is down')],
  ])(
    'lets the next call probe at once after a probe %s, which Partner Center never answered',
    async (_label, end) => {
      const { target, calls, failing, call } = await opened();
      failing.set('unanswered', end);

      const probe = await call(target, 'unanswered');
      // Not closed by it: a call now is the next probe, not a call of a closed breaker.
      expect(target.breakerState()).toBe('open');
      const next = await call(target, 'healthy');

      expect([probe, next]).toEqual([
        end() instanceof UpstreamError ? (end() as UpstreamError).kind : 'unexpected',
        'ok',
      ]);
      expect(target.breakerState()).toBe('closed');
      expect(calls).toEqual(['unanswered', 'healthy']);
    },
  );

  it('opens again for the whole period after a probe that timed out with Partner Center', async () => {
    const { target, failing, call } = await opened();
    failing.set('hung', () => new UpstreamError('timeout', 'no answer within 10 ms'));

    const probe = await call(target, 'hung');
    const next = await call(target, 'healthy');

    expect([probe, next]).toEqual(['timeout', 'circuit-open']);
  });

  it('lets a call that waited for the probe be cancelled by its own client', async () => {
    const { target } = await opened();
    const probeDone = sleep(50).then(() => 'ok');
    const probe = target.execute(() => probeDone, { subject: 'probe' });
    const client = new AbortController();
    let seen: AbortSignal | undefined;
    const waiter = target.execute(
      (signal) => {
        seen = signal;
        return new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, 5_000, 'too late');
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new UpstreamError('aborted', 'client closed the connection'));
          });
        });
      },
      { subject: 'waiter', signal: client.signal },
    );

    await probe;
    await sleep(10);
    client.abort();

    await expect(waiter).rejects.toMatchObject({ kind: 'aborted' });
    expect(seen).toBe(client.signal);
  });

  it('closes after a probe Partner Center answered (403) and counts a fresh streak', async () => {
    const { target, failing, call } = await opened();
    failing.set('refused', forbidden);
    failing.set('c', outage);

    expect(await call(target, 'refused')).toBe('status');
    expect(target.breakerState()).toBe('closed');
    // One new outage failure is not yet a streak of two.
    expect(await call(target, 'c')).toBe('status');
    expect(target.breakerState()).toBe('closed');
  });
});

describe('one customer held on its own', () => {
  /** A customer held after two outage failures, and the hold just over. */
  const heldThenReleased = () => failThenWait(['flaky', 'flaky'], 'closed');

  it('lets one call through after the hold; a success forgets the customer', async () => {
    const { target, calls, failing, call } = await heldThenReleased();
    failing.delete('flaky');

    expect(await call(target, 'flaky')).toBe('ok');
    expect(await call(target, 'flaky')).toBe('ok');
    expect(calls).toEqual(['flaky', 'flaky', 'flaky', 'flaky']);
  });

  it('holds it again at once when the call after the hold fails too', async () => {
    const { target, calls, call } = await heldThenReleased();

    expect(await call(target, 'flaky')).toBe('status');
    expect(await call(target, 'flaky')).toBe('circuit-open');
    expect(calls).toHaveLength(3);
  });

  it('does not hold a customer, nor open the breaker, for timeouts cut short', async () => {
    const target = resilience(2);
    const { calls, failing, call } = upstream();
    const cut = () => new UpstreamError('timeout', 'operation deadline passed', { cutShort: true });
    for (const subject of ['slow', 'other', 'third']) failing.set(subject, cut);

    const results = [];
    for (const subject of ['slow', 'slow', 'slow', 'other', 'third']) {
      results.push(await call(target, subject));
    }
    failing.delete('slow');

    expect(results).toEqual(Array.from({ length: 5 }, () => 'timeout'));
    expect(await call(target, 'slow')).toBe('ok');
    expect(target.breakerState()).toBe('closed');
    expect(calls).toHaveLength(6);
  });

  it('remembers at most maxSubjects customers, forgetting the stalest', () => {
    const holds = new SubjectHolds({ threshold: 1, holdMs: 60_000, maxSubjects: 2 });

    holds.failed('a');
    holds.failed('b');
    holds.failed('a');
    holds.failed('c');

    expect(holds.size).toBe(2);
    expect(['a', 'b', 'c'].map((subject) => holds.isHeld(subject))).toEqual([true, false, true]);
  });
});

describe('retries under one operation', () => {
  it("keeps one listener on the operation's signal while sixty throttled calls wait to retry", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const target = createResilience({
        retries: 1,
        retryBaseMs: 1,
        retryAfterMaxMs: 1_000,
        breakerThreshold: 3,
        breakerHalfOpenMs: HALF_OPEN_MS,
      });
      const operation = new AbortController();
      const attempts = new Map<string, number>();
      const calls = Array.from({ length: 60 }, (_, n) =>
        target.execute(
          () => {
            const made = (attempts.get(`c${n}`) ?? 0) + 1;
            attempts.set(`c${n}`, made);
            if (made > 1) return Promise.resolve('ok');
            return Promise.reject(
              new UpstreamError('status', 'Partner Center answered 429', {
                status: 429,
                retryAfterSeconds: 1,
              }),
            );
          },
          { subject: `c${n}`, signal: operation.signal },
        ),
      );
      await vi.advanceTimersByTimeAsync(0);
      expect(attempts.size).toBe(60);
      expect(getEventListeners(operation.signal, 'abort')).toHaveLength(1);

      await vi.advanceTimersByTimeAsync(1_000);
      expect(await Promise.all(calls)).toEqual(Array.from({ length: 60 }, () => 'ok'));
      expect([...attempts.values()]).toEqual(Array.from({ length: 60 }, () => 2));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('what a background call may read of the breaker and the holds', () => {
  it('may go while the breaker is closed and its customer not held; waits while either is not', async () => {
    const policy = resilience(2);
    const { failing, call } = upstream();
    expect(policy.backgroundWaitMs('a')).toBe(0);

    failing.set('a', outage);
    await call(policy, 'a');
    await call(policy, 'a');
    // Customer a is held on its own; b is not, and the breaker is closed.
    expect(policy.backgroundWaitMs('a')).toBeGreaterThan(HALF_OPEN_MS / 2);
    expect(policy.backgroundWaitMs('a')).toBeLessThanOrEqual(HALF_OPEN_MS);
    expect(policy.backgroundWaitMs('b')).toBe(0);

    failing.set('b', outage);
    await call(policy, 'b');
    expect(policy.breakerState()).toBe('open');
    // Open: until the probe, at least a second (the poll's interval decides more finely).
    expect(policy.backgroundWaitMs('c')).toBe(1000);
    expect(policy.backgroundWaitMs(undefined)).toBe(1000);
  });

  it('reading it changes nothing: an interactive call still probes after the half-open time', async () => {
    const policy = resilience(2);
    const { failing, calls, call } = upstream();
    failing.set('a', outage);
    failing.set('b', outage);
    await call(policy, 'a');
    await call(policy, 'b');
    expect(policy.breakerState()).toBe('open');
    await sleep(HALF_OPEN_MS + 10);

    for (let n = 0; n < 5; n += 1) expect(policy.backgroundWaitMs('c')).toBeGreaterThan(0);
    expect(policy.breakerState()).toBe('open');
    expect(await call(policy, 'c')).toBe('ok');
    expect(policy.breakerState()).toBe('closed');
    expect(policy.backgroundWaitMs('c')).toBe(0);
    expect(calls).toEqual(['a', 'b', 'c']);
  });
});

import { describe, expect, it } from 'vitest';
import { fromUpstream } from '../../src/graphql/errors.js';
import { OperationsInFlight } from '../../src/graphql/operations-in-flight.js';
import { classify } from '../../src/partner-center/http-response.js';
import { ShuttingDown } from '../../src/partner-center/upstream-error.js';

describe('cutting operations short at shutdown', () => {
  it('aborts every operation still running and each one started later, sparing those finished', () => {
    const inFlight = new OperationsInFlight();
    const running = [new AbortController(), new AbortController()];
    const finished = new AbortController();
    for (const operation of [...running, finished]) inFlight.started(operation);
    inFlight.finished(finished);

    const cut = inFlight.cutShort();
    const late = new AbortController();
    inFlight.started(late);

    expect(cut).toBe(2);
    expect([...running, late].map((operation): unknown => operation.signal.reason)).toEqual([
      expect.any(ShuttingDown),
      expect.any(ShuttingDown),
      expect.any(ShuttingDown),
    ]);
    expect(finished.signal.aborted).toBe(false);
    // Each operation is cut once: a second cut finds none still running.
    expect(inFlight.cutShort()).toBe(0);
  });

  it('answers a call cut short SHUTTING_DOWN, as a cancellation rather than a failure of Partner Center', () => {
    const inFlight = new OperationsInFlight();
    const operation = new AbortController();
    inFlight.started(operation);
    inFlight.cutShort();

    const failure = classify(new Error('aborted'), operation.signal, false, 10_000);
    const error = fromUpstream(failure);

    // 'aborted' is what the breaker, the hold-time estimate and stale-if-error take for "no
    // answer, no evidence".
    expect(failure.kind).toBe('aborted');
    expect(error.message).toBe(
      'The gateway is shutting down and stopped waiting for Partner Center; retry.',
    );
    expect(error.extensions).toEqual({ code: 'SHUTTING_DOWN' });
  });

  it('still answers a call whose client went away UPSTREAM_UNAVAILABLE', () => {
    const operation = new AbortController();
    operation.abort(new Error('client closed the connection'));

    const error = fromUpstream(classify(new Error('aborted'), operation.signal, false, 10_000));

    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
  });
});

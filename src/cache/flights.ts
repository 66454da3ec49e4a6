import { onAbort } from '../partner-center/abort-fan-out.js';
import { classify } from '../partner-center/http-response.js';

/** One shared read in progress. */
export interface Flight {
  /** Aborts only when every waiter has gone: one caller hanging up does not fail the others. */
  readonly signal: AbortSignal;
  /** Set by a write during the read: its answer is still given to the waiters, but not stored. */
  invalidated: boolean;
  /**
   * The latest deadline of anyone who waited (epoch ms), read when the call plans a retry;
   * `undefined` when one waiter has none.
   */
  readonly deadlineAt: number | undefined;
}

/** One caller waiting for a run: its own signal and deadline. */
export interface Waiter {
  readonly signal?: AbortSignal | undefined;
  readonly deadlineAt?: number | undefined;
}

class Running<R> implements Flight {
  invalidated = false;
  waiters = 0;
  private latestDeadline: number | undefined = 0;
  readonly controller = new AbortController();
  readonly promise: Promise<R>;

  constructor(
    readonly group: string,
    start: (flight: Flight) => Promise<R>,
    onEnd: (run: Running<R>) => void,
  ) {
    this.promise = Promise.resolve()
      .then(() => start(this))
      .finally(() => {
        onEnd(this);
      });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get deadlineAt(): number | undefined {
    return this.latestDeadline;
  }

  extendTo(deadlineAt: number | undefined): void {
    if (this.latestDeadline === undefined) return;
    this.latestDeadline =
      deadlineAt === undefined ? undefined : Math.max(this.latestDeadline, deadlineAt);
  }
}

/**
 * Coalescing: concurrent readers of one key share one run. Each waiter keeps its own signal
 * (its deadline, its client going away): when it fires, that waiter alone stops waiting; the run
 * goes on until it ends or nobody waits for it any more.
 */
export class Flights {
  private readonly running = new Map<string, Running<unknown>>();

  /**
   * Joins the run for `key`, or starts one with `start`. `group` names what a write invalidates
   * (the kind and customer).
   */
  join<R>(
    key: string,
    group: string,
    waiter: Waiter,
    start: (flight: Flight) => Promise<R>,
  ): Promise<R> {
    let flight = this.running.get(key) as Running<R> | undefined;
    if (flight === undefined) {
      flight = new Running(group, start, (ended) => {
        if (this.running.get(key) === ended) this.running.delete(key);
      });
      this.running.set(key, flight);
    }
    flight.extendTo(waiter.deadlineAt);
    return this.wait(key, flight, waiter.signal);
  }

  /** A write: runs already under way for the group must not store, and new readers start afresh. */
  invalidate(group: string): void {
    for (const [key, flight] of this.running) {
      if (flight.group !== group) continue;
      flight.invalidated = true;
      this.running.delete(key);
    }
  }

  private wait<R>(key: string, flight: Running<R>, signal: AbortSignal | undefined): Promise<R> {
    flight.waiters += 1;
    const leave = () => {
      flight.waiters -= 1;
      if (flight.waiters > 0) return;
      if (this.running.get(key) === flight) this.running.delete(key);
      flight.controller.abort(signal?.reason);
    };
    if (signal === undefined) return flight.promise;
    if (signal.aborted) {
      leave();
      return Promise.reject(classify(signal.reason, signal, false, 0));
    }
    return new Promise<R>((resolve, reject) => {
      // One operation waits for up to a hundred customers at once: one listener serves them all.
      const stopListening = onAbort(signal, () => {
        leave();
        reject(classify(signal.reason, signal, false, 0));
      });
      flight.promise.finally(stopListening).then(resolve, reject);
    });
  }

  get size(): number {
    return this.running.size;
  }
}

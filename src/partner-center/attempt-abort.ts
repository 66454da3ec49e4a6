/** What an attempt's abort reaches once the attempt is talking to Partner Center. */
export interface Abortable {
  abort(reason: Error): void;
}

/** The attempts in flight per operation signal, so one listener on it serves them all. */
const attemptsOf = new WeakMap<AbortSignal, Set<AttemptAbort>>();

function attemptsUnder(operation: AbortSignal): Set<AttemptAbort> {
  let attempts = attemptsOf.get(operation);
  if (attempts === undefined) {
    const inFlight = new Set<AttemptAbort>();
    operation.addEventListener(
      'abort',
      () => {
        for (const attempt of inFlight) attempt.abort(operation.reason as Error);
      },
      { once: true },
    );
    attemptsOf.set(operation, inFlight);
    attempts = inFlight;
  }
  return attempts;
}

/**
 * Ends one attempt early: after `ms`, or when the operation's signal aborts (its deadline, the
 * client gone); released as soon as the attempt ends. It holds no `AbortSignal` of its own (the
 * most expensive part of an attempt's bookkeeping): the exchange with Partner Center is aborted
 * through undici's dispatch controller, and a signal is made only for an attempt that has to
 * wait first (a 429 hold, the call budget, a slot). `AbortSignal.timeout` and `AbortSignal.any`
 * would leave a timer and a dependent signal alive per call long after it is over; a listener
 * per attempt on the operation's signal would pile up (40 for one `_entities` batch).
 */
export class AttemptAbort {
  // Static, with its arguments passed by setTimeout: no closure per attempt.
  private static readonly timeOut = (attempt: AttemptAbort, ms: number): void => {
    attempt.ranOut = true;
    attempt.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError'));
  };

  private ranOut = false;
  private why: Error | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly attempts: Set<AttemptAbort> | undefined;
  private waits: AbortController | undefined;
  private exchange: Abortable | undefined;

  constructor(operation: AbortSignal, ms: number) {
    this.timer = setTimeout(AttemptAbort.timeOut, ms, this, ms);
    if (operation.aborted) {
      this.why = operation.reason as Error;
    } else {
      this.attempts = attemptsUnder(operation);
      this.attempts.add(this);
    }
  }

  /** Whether the attempt's own time ran out (rather than the operation's). */
  get timedOut(): boolean {
    return this.ranOut;
  }

  /** Why it was aborted (the timeout's `TimeoutError`, the operation's reason). */
  get reason(): Error | undefined {
    return this.why;
  }

  /** Ends an attempt that is already over before it waits for or takes anything more. */
  throwIfOver(): void {
    if (this.why !== undefined) throw this.why;
  }

  /** A signal for the waits before the exchange, made on first use. */
  signal(): AbortSignal {
    if (this.waits === undefined) {
      this.waits = new AbortController();
      if (this.why !== undefined) this.waits.abort(this.why);
    }
    return this.waits.signal;
  }

  /** The exchange to abort from now on (it checks `aborted` itself before it starts). */
  reach(exchange: Abortable): void {
    this.exchange = exchange;
  }

  abort(reason: Error): void {
    if (this.why !== undefined) return;
    this.why = reason;
    this.waits?.abort(reason);
    this.exchange?.abort(reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.attempts?.delete(this);
  }
}

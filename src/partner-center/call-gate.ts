/**
 * What every attempt passes before it is sent, besides the in-flight limit: the fleet's shared
 * 429 holds and its call budget (`src/fleet/`). Refusals are `UpstreamError('rate-limited')`,
 * the gateway's own decision: never retried, never an outage.
 */
export interface CallGate {
  /**
   * Waits until this attempt may be sent (a hold on `key` is over, one call of the budget is
   * spent), giving up when `signal` aborts; `finishBy` (a `performance.now()` time) is when the
   * call must be done.
   */
  pass(key: string, signal: AbortSignal, finishBy: number): Promise<Passage>;
  /**
   * Lets the attempt through at once, having waited and spent nothing but a call already in
   * hand, when that needs no wait and no I/O (nothing holds `key`; no budget, or a call of it
   * reserved): the caller then makes no signal for it. Undefined: call `pass`.
   */
  passNow(key: string): Passage | undefined;
  /** Partner Center answered 429 with `Retry-After` for `key`: hold it for that long. */
  throttled(key: string, retryAfterMs: number): void;
  /**
   * For a background (`watch`) call: lets it through without waiting, or rejects at once with
   * `deferred` (a hold on `key`, or no share of the budget it may spend now).
   */
  passBackground(key: string): Promise<Passage>;
  /**
   * A 429 answered to a background call: holds `key` for background calls of this replica only,
   * never for interactive ones (polls must not get interactive reads refused RATE_LIMITED).
   */
  throttledBackground(key: string, retryAfterMs: number): void;
}

/** An attempt let through the gate. */
export interface Passage {
  /** Milliseconds it waited for the call budget. */
  readonly budgetWaitMs: number;
  /**
   * Whether the attempt was sent to Partner Center after all: a call of the budget counts from
   * when it is sent, and one never sent (shed, cancelled or timed out waiting for a slot) is
   * given back. Only the first word counts; the http client says it in a `finally`, so a
   * passage is always settled.
   */
  settle(sent: boolean): void;
}

/** A passage with no budget behind it. */
export const FREE_PASSAGE: Passage = { budgetWaitMs: 0, settle: () => undefined };

export const OPEN_GATE: CallGate = {
  pass: () => Promise.resolve(FREE_PASSAGE),
  passNow: () => FREE_PASSAGE,
  throttled: () => undefined,
  passBackground: () => Promise.resolve(FREE_PASSAGE),
  throttledBackground: () => undefined,
};

/**
 * What a 429 holds: the customer a call concerns, or its route when it concerns no one customer
 * (the customer list, the validation codes).
 */
export function holdKey(subject: string | undefined, route: string): string {
  return subject === undefined ? `route:${route}` : `customer:${subject}`;
}

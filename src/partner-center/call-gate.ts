/**
 * What every attempt passes before it is sent, besides the in-flight limit: the fleet's shared
 * 429 holds and its call budget (`src/fleet/`). Refusals are `UpstreamError('rate-limited')`,
 * the gateway's own decision: never retried, never an outage.
 */
export interface CallGate {
  /**
   * Waits until this attempt may be sent (a hold on `key` is over, one call of the budget is
   * spent), giving up when `signal` aborts; `finishBy` (a `performance.now()` time) is when the
   * call must be done. Resolves to the milliseconds waited for the budget.
   */
  pass(key: string, signal: AbortSignal, finishBy: number): Promise<number>;
  /**
   * Lets the attempt through at once, having waited and spent nothing but a call already in
   * hand, when that needs no wait and no I/O (nothing holds `key`; no budget, or a call of it
   * reserved): the caller then makes no signal for it. False: call `pass`.
   */
  passNow(key: string): boolean;
  /** Partner Center answered 429 with `Retry-After` for `key`: hold it for that long. */
  throttled(key: string, retryAfterMs: number): void;
}

export const OPEN_GATE: CallGate = {
  pass: () => Promise.resolve(0),
  passNow: () => true,
  throttled: () => undefined,
};

/**
 * What a 429 holds: the customer a call concerns, or its route when it concerns no one customer
 * (the customer list, the validation codes).
 */
export function holdKey(subject: string | undefined, route: string): string {
  return subject === undefined ? `route:${route}` : `customer:${subject}`;
}

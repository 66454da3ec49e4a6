import { CircuitState, type IBreaker } from 'cockatiel';

/** Calls that concern no single customer (the validation codes) count as one subject. */
const NO_SUBJECT = '';

/**
 * When cockatiel's circuit breaker opens: after `threshold` consecutive outage failures of
 * distinct subjects (customers), any success resetting the streak. One customer failing again
 * and again is one piece of evidence, not `threshold`: it says something about that customer,
 * not that Partner Center is down for everyone.
 *
 * cockatiel tells an `IBreaker` neither the error nor the call, so the policy's attempt wrapper
 * asks `counts` first and hands cockatiel only the failures that count (all others pass it
 * unhandled, which a closed breaker ignores).
 */
export class DistinctOutages implements IBreaker {
  private readonly failing = new Set<string>();

  constructor(private readonly threshold: number) {}

  get state(): unknown {
    return [...this.failing];
  }

  set state(value: unknown) {
    this.failing.clear();
    if (Array.isArray(value)) for (const key of value) this.failing.add(String(key));
  }

  /**
   * Whether this outage failure is new evidence. A half-open probe's outage always is: passed
   * on unhandled, cockatiel would take it for a healthy answer and close the breaker.
   */
  counts(subject: string | undefined, circuit: CircuitState): boolean {
    if (circuit === CircuitState.HalfOpen) return true;
    const key = subject ?? NO_SUBJECT;
    if (this.failing.has(key)) return false;
    this.failing.add(key);
    return true;
  }

  success(): void {
    this.failing.clear();
  }

  failure(circuit: CircuitState): boolean {
    return circuit === CircuitState.HalfOpen || this.failing.size >= this.threshold;
  }

  /** The breaker closed without a success (a probe answered with a non-outage error). */
  reset(): void {
    this.failing.clear();
  }
}

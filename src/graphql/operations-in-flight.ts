import { ShuttingDown } from '../partner-center/upstream-error.js';

/**
 * The operations still running, so that shutdown can end them with an answer (`SHUTTING_DOWN`)
 * rather than leave them to the forced exit, which would reset their connections. A set of
 * controllers, not a listener per operation on one process-wide signal: a thousand operations
 * in flight would be a thousand listeners on it.
 */
export class OperationsInFlight {
  private readonly running = new Set<AbortController>();
  /** Set once shutdown cuts: one reason for all, as they are cut for one and the same reason. */
  private cut: ShuttingDown | undefined;

  /** Tracks an operation until `finished`; once shutdown has cut, it starts out cut. */
  started(operation: AbortController): void {
    if (this.cut !== undefined) operation.abort(this.cut);
    else this.running.add(operation);
  }

  finished(operation: AbortController): void {
    this.running.delete(operation);
  }

  /** Aborts every operation still running, and each one started later; returns how many ran. */
  cutShort(): number {
    const reason = (this.cut ??= new ShuttingDown());
    const count = this.running.size;
    for (const operation of this.running) operation.abort(reason);
    this.running.clear();
    return count;
  }
}

import { UpstreamError } from '../partner-center/upstream-error.js';

/**
 * Whether a failed read may be answered from a stale entry: only failures on Partner Center's
 * side (5xx, 429 after retries, timeouts, the network, an open breaker, an answer that does not
 * parse, a call shed because Partner Center's share of calls is used up, a call the fleet's call
 * budget or a 429 hold kept from being sent), not a watch poll put off (`deferred`). A refusal of the caller (401, 403, any other 4xx) never is: stale data must not
 * outlive a revoked permission. A caller that went away needs no answer.
 */
export function staleMayCover(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  switch (error.kind) {
    case 'timeout':
    case 'network':
    case 'bad-response':
    case 'circuit-open':
      return true;
    case 'overloaded':
    case 'rate-limited':
      // Shed by the gateway's own in-flight limit, or kept back by the call budget or a hold:
      // Partner Center's capacity, like a 429.
      return true;
    case 'deferred':
      // A watch poll put off for interactive work (the only call ever deferred) was never sent:
      // the watch retries it in a second. A stale answer would pass for a poll that failed,
      // put off for a whole interval; interactive readers that joined it read on their own.
      return false;
    case 'status':
      return error.status !== undefined && (error.status === 429 || error.status >= 500);
    case 'aborted':
      return false;
  }
}

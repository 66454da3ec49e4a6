import type { CallPurpose } from './types.js';

/** How one upstream attempt ended, as a bounded label. */
export type UpstreamOutcome =
  | 'ok'
  | 'not_found'
  | 'client_error'
  | 'throttled'
  | 'server_error'
  | 'timeout'
  | 'network'
  | 'bad_response'
  | 'aborted'
  /** Shed by the gateway while waiting for a slot; never sent. */
  | 'overloaded'
  /** Not sent: over the fleet's call budget, or held by a 429 (see `CallGate`). */
  | 'rate_limited'
  /** Not sent, or its slot taken back: a `watch` call yielding to interactive calls. */
  | 'deferred';

/** Process-wide observation of upstream traffic (metrics); no caller data passes through it. */
export interface UpstreamObserver {
  attemptStarted(route: string): void;
  attemptFinished(
    route: string,
    outcome: UpstreamOutcome,
    seconds: number,
    purpose: CallPurpose,
  ): void;
  retried(route: string, reason: UpstreamOutcome, purpose: CallPurpose): void;
}

export const noObserver: UpstreamObserver = {
  attemptStarted: () => undefined,
  attemptFinished: () => undefined,
  retried: () => undefined,
};

/** How a call left the in-flight limit's queue. */
export type QueueOutcome =
  /** It got a slot (at once or after waiting). */
  | 'granted'
  /** Shed: its remaining time could no longer cover a cautious round trip. */
  | 'dropped'
  /** Its attempt was aborted while waiting (client gone, deadline, attempt timeout). */
  | 'abandoned';

/** Process-wide observation of the in-flight limit's queue (metrics). */
export interface QueueObserver {
  left(outcome: QueueOutcome, waitedSeconds: number): void;
}

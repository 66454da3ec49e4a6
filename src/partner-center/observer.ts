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
  | 'aborted';

/** Process-wide observation of upstream traffic (metrics); no caller data passes through it. */
export interface UpstreamObserver {
  attemptStarted(route: string): void;
  attemptFinished(route: string, outcome: UpstreamOutcome, seconds: number): void;
  retried(route: string, reason: UpstreamOutcome): void;
}

export const noObserver: UpstreamObserver = {
  attemptStarted: () => undefined,
  attemptFinished: () => undefined,
  retried: () => undefined,
};

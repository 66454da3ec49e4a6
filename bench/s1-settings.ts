/** The sizes of S1 (bench/s1.ts), from `--s1-*`. */

export interface S1Settings {
  readonly connections: number;
  readonly perConnection: number;
  readonly customers: number;
  /** WATCH_POLL_SECONDS and WATCH_POLL_IN_REVIEW_SECONDS. */
  readonly intervalSeconds: number;
  /** Whole intervals the idle phase is measured over. */
  readonly intervals: number;
  /** One-customer changes timed after the all-customer one. */
  readonly singleChanges: number;
  /** Run W1 and W5 with and without the subscriptions (at every `--latency`). */
  readonly compare: boolean;
}

export const S1_DEFAULTS: S1Settings = {
  connections: 1000,
  perConnection: 10,
  customers: 500,
  intervalSeconds: 10,
  intervals: 3,
  singleChanges: 5,
  compare: true,
};

import { Counter, Gauge, type Registry } from 'prom-client';
import type { SubscriptionObserver } from '../subscriptions/subscriber.js';
import type { PollResult, WatchObserver } from '../watch/watch-hub.js';

const POLL_RESULTS: readonly PollResult[] = [
  'changed',
  'unchanged',
  'failed',
  'deferred',
  'refused',
];

export interface WatchMetrics {
  readonly watch: WatchObserver;
  readonly subscriptions: SubscriptionObserver;
}

/** Live updates (docs/live-updates.md): subscriptions, what they watch, and what it costs. */
export function createWatchMetrics(registry: Registry, watched: () => number): WatchMetrics {
  const registers = [registry];
  const open = new Gauge({
    name: 'pcgw_subscriptions_open',
    help: 'Subscriptions open now on this replica, over every transport.',
    registers,
  });
  new Gauge({
    name: 'pcgw_watched_customers',
    help: 'Distinct (caller scope, customer) pairs this replica watches for its subscriptions.',
    registers,
    collect() {
      this.set(watched());
    },
  });
  const polls = new Counter({
    name: 'pcgw_watch_polls_total',
    help: 'Reads of watched customers this replica did, on their cadence or after a write, by result (changed, unchanged: nothing new or no watcher left to tell, failed: nothing emitted, deferred: yielded to interactive calls, refused: the token was refused).',
    labelNames: ['result'] as const,
    registers,
  });
  for (const result of POLL_RESULTS) polls.inc({ result }, 0);
  const events = new Counter({
    name: 'pcgw_subscription_events_total',
    help: 'Events handed to subscribers (a customer each).',
    registers,
  });
  return {
    watch: {
      polled: (result) => {
        polls.inc({ result });
      },
    },
    subscriptions: {
      opened: () => {
        open.inc();
      },
      closed: () => {
        open.dec();
      },
      delivered: () => {
        events.inc();
      },
    },
  };
}

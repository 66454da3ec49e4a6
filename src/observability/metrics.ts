import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ErrorCode } from '../graphql/errors.js';
import type { OperationStats } from './operation-stats.js';
import type { QueueObserver, UpstreamObserver } from '../partner-center/observer.js';
import type { BreakerState } from '../partner-center/resilience.js';
import type { CacheTier, LookupResult } from '../cache/read-cache.js';
import type { FleetObserver, FleetState } from '../fleet/fleet.js';
import { BUDGET_MODES } from '../fleet/budget-limiter.js';

const PREFIX = 'pcgw_';

/**
 * The gateway's Prometheus metrics, in a registry of its own (tests run several gateways in one
 * process). Every label value comes from a closed set: route templates, outcomes, operation
 * types, error codes. Never a customer id, a token or operation text.
 */
export interface Metrics {
  readonly registry: Registry;
  readonly upstream: UpstreamObserver;
  /** Time calls spent waiting for an in-flight slot, and how they left the queue. */
  readonly queue: QueueObserver;
  /** Counts an operation refused by overload admission. */
  readonly overloadRefused: () => void;
  /** Reports admission's reserved reads and the hold-time estimate at every scrape. */
  watchOverload(state: () => OverloadState): void;
  /** The call budget's waits and refusals, and the 429 holds (see src/fleet/). */
  readonly fleet: FleetObserver;
  /** Reports the budget's mode (shared, local) and the holds at every scrape. */
  watchFleet(state: () => FleetState): void;
  /** Reports the circuit breaker's state at every scrape. */
  watchBreaker(state: () => BreakerState): void;
  /**
   * Reports at every scrape which of `reasons` (a closed set of label values) degrade the
   * service while `/readyz` stays 200.
   */
  watchDegradations(reasons: readonly string[], current: () => Promise<readonly string[]>): void;
  readonly observeBatch: (size: number) => void;
  /** One look-up in one cache tier (see src/cache/). */
  readonly observeCacheLookup: (tier: CacheTier, result: LookupResult) => void;
  observeOperation(
    type: string,
    seconds: number,
    stats: OperationStats,
    codes: readonly ErrorCode[],
  ): void;
}

export interface OverloadState {
  readonly reservedReads: number;
  readonly holdMeanMs: number;
  readonly holdCautiousMs: number;
}

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const registers = [registry];

  const upstreamDuration = new Histogram({
    name: `${PREFIX}upstream_request_duration_seconds`,
    help: 'Partner Center request latency per attempt, by route template, outcome and purpose (interactive, watch: a background poll).',
    labelNames: ['route', 'outcome', 'purpose'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const inFlight = new Gauge({
    name: `${PREFIX}upstream_requests_in_flight`,
    help: 'Partner Center requests sent or waiting for a pooled connection.',
    registers,
  });
  const retries = new Counter({
    name: `${PREFIX}upstream_retries_total`,
    help: 'Partner Center requests retried, by route template, the outcome that caused it and purpose (interactive, watch).',
    labelNames: ['route', 'reason', 'purpose'] as const,
    registers,
  });
  let breakerState: () => BreakerState = () => 'closed';
  new Gauge({
    name: `${PREFIX}upstream_circuit_breaker_state`,
    help: 'Circuit breaker state: 0 closed, 1 half-open, 2 open.',
    registers,
    collect() {
      this.set(BREAKER_VALUE[breakerState()]);
    },
  });
  let degradations: { reasons: readonly string[]; current: () => Promise<readonly string[]> } = {
    reasons: [],
    current: () => Promise.resolve([]),
  };
  new Gauge({
    name: `${PREFIX}degraded`,
    help: 'Whether the service is degraded for this reason (1) while readiness stays 200.',
    labelNames: ['reason'] as const,
    registers,
    async collect() {
      const now = new Set(await degradations.current());
      for (const reason of degradations.reasons) this.set({ reason }, now.has(reason) ? 1 : 0);
    },
  });
  const batchSize = new Histogram({
    name: `${PREFIX}dataloader_batch_size`,
    help: 'Distinct customers fetched per DataLoader batch.',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers,
  });
  const loads = new Counter({
    name: `${PREFIX}dataloader_loads_total`,
    help: 'Customer reads asked for by resolvers.',
    registers,
  });
  const deduplicated = new Counter({
    name: `${PREFIX}dataloader_deduplicated_loads_total`,
    help: 'Customer reads answered without an upstream call (same customer twice in one operation).',
    registers,
  });
  const cacheLookups = new Counter({
    name: `${PREFIX}cache_lookups_total`,
    help: 'Cache look-ups by tier (memory, redis) and result (hit, miss, stale, bypass).',
    labelNames: ['tier', 'result'] as const,
    registers,
  });
  const operationDuration = new Histogram({
    name: `${PREFIX}graphql_operation_duration_seconds`,
    help: 'GraphQL operation duration, by operation type and whether it had errors.',
    labelNames: ['operation_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const errors = new Counter({
    name: `${PREFIX}graphql_errors_total`,
    help: 'GraphQL errors sent to clients, by extensions.code.',
    labelNames: ['code'] as const,
    registers,
  });

  const refused = new Counter({
    name: `${PREFIX}overload_refused_operations_total`,
    help: 'Operations refused before any upstream call because they could not finish in time (OVERLOADED, HTTP 503).',
    registers,
  });
  const sojourn = new Histogram({
    name: `${PREFIX}upstream_queue_sojourn_seconds`,
    help: 'Time upstream calls waited for an in-flight slot, by how they left the queue (granted, dropped: shed as OVERLOADED, abandoned).',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  let overloadState: () => OverloadState = () => ({
    reservedReads: 0,
    holdMeanMs: 0,
    holdCautiousMs: 0,
  });
  new Gauge({
    name: `${PREFIX}overload_reserved_reads`,
    help: 'Upstream reads reserved by admitted operations that have not ended, less those that have taken a slot.',
    registers,
    collect() {
      this.set(overloadState().reservedReads);
    },
  });
  new Gauge({
    name: `${PREFIX}upstream_hold_seconds_estimate`,
    help: 'Time an upstream call holds its slot, from the last 16 answers: mean (the largest left out), and cautious (1.5 x the second largest, raised by timeouts up to half the attempt timeout).',
    labelNames: ['estimate'] as const,
    registers,
    collect() {
      const state = overloadState();
      this.set({ estimate: 'mean' }, state.holdMeanMs / 1000);
      this.set({ estimate: 'cautious' }, state.holdCautiousMs / 1000);
    },
  });

  const budgetWait = new Histogram({
    name: `${PREFIX}fleet_budget_wait_seconds`,
    help: 'Time upstream calls waited for room in the call budget (UPSTREAM_MAX_CALLS_PER_MINUTE), by how they left (granted, refused: RATE_LIMITED without a call, abandoned: the caller gave up).',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const fleetRefused = new Counter({
    name: `${PREFIX}fleet_refused_calls_total`,
    help: 'Upstream calls answered RATE_LIMITED without being sent, by reason (budget: no room in time, hold: a 429 Retry-After too long to wait).',
    labelNames: ['reason'] as const,
    registers,
  });
  const holdsSet = new Counter({
    name: `${PREFIX}fleet_holds_total`,
    help: 'Holds taken from a 429 Retry-After, by source (here: this replica got the 429, fleet: another replica did).',
    labelNames: ['source'] as const,
    registers,
  });
  let fleetState: () => FleetState = () => ({
    budgetMode: undefined,
    budgetWaiting: 0,
    holds: 0,
  });
  new Gauge({
    name: `${PREFIX}fleet_budget_mode`,
    help: 'Which limiter keeps the call budget: shared (Redis, the whole fleet) or local (this replica alone, Redis unreachable or not configured); all 0 without a budget.',
    labelNames: ['mode'] as const,
    registers,
    collect() {
      const mode = fleetState().budgetMode;
      for (const each of BUDGET_MODES) this.set({ mode: each }, mode === each ? 1 : 0);
    },
  });
  new Gauge({
    name: `${PREFIX}fleet_budget_waiting_calls`,
    help: 'Upstream calls waiting for room in the call budget now.',
    registers,
    collect() {
      this.set(fleetState().budgetWaiting);
    },
  });
  new Gauge({
    name: `${PREFIX}fleet_holds_active`,
    help: 'Customers and routes held after a 429 Retry-After, as this replica knows them.',
    registers,
    collect() {
      this.set(fleetState().holds);
    },
  });

  return {
    registry,
    fleet: {
      budgetLeft: (outcome, seconds) => {
        budgetWait.observe({ outcome }, seconds);
      },
      refused: (reason) => {
        fleetRefused.inc({ reason });
      },
      held: (source) => {
        holdsSet.inc({ source });
      },
    },
    watchFleet: (state) => {
      fleetState = state;
    },
    queue: {
      left: (outcome, seconds) => {
        sojourn.observe({ outcome }, seconds);
      },
    },
    overloadRefused: () => {
      refused.inc();
    },
    watchOverload: (state) => {
      overloadState = state;
    },
    upstream: {
      attemptStarted: () => {
        inFlight.inc();
      },
      attemptFinished: (route, outcome, seconds, purpose) => {
        inFlight.dec();
        upstreamDuration.observe({ route, outcome, purpose }, seconds);
      },
      retried: (route, reason, purpose) => {
        retries.inc({ route, reason, purpose });
      },
    },
    watchBreaker: (state) => {
      breakerState = state;
    },
    watchDegradations: (reasons, current) => {
      degradations = { reasons, current };
    },
    observeBatch: (size) => {
      batchSize.observe(size);
    },
    observeCacheLookup: (tier, result) => {
      cacheLookups.inc({ tier, result });
    },
    observeOperation: (type, seconds, stats, codes) => {
      operationDuration.observe(
        { operation_type: type, outcome: codes.length > 0 ? 'error' : 'ok' },
        seconds,
      );
      loads.inc(stats.loads);
      deduplicated.inc(stats.loads - stats.uniqueLoads);
      for (const code of codes) errors.inc({ code });
    },
  };
}

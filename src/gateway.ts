import type { Logger as PinoLogger } from 'pino';
import { Agent, type Dispatcher } from 'undici';
import type { Config } from './config.js';
import { createAppTokenProvider, type AppTokenProvider } from './credentials/app-token.js';
import { createInboundAuthenticator } from './credentials/inbound-auth.js';
import type { Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import type { QueueObserver, UpstreamObserver } from './partner-center/observer.js';
import { createPartnerCenterApi, type PartnerCenterApi } from './partner-center/client.js';
import { createHttpClient } from './partner-center/http-client.js';
import { createInFlightLimit, type InFlightLimit } from './partner-center/in-flight-limit.js';
import { createAdmission } from './overload/admission.js';
import { admissionPlugin } from './overload/admission-plugin.js';
import { createHoldTimes, holdTimePriorMs, type HoldTimes } from './overload/hold-times.js';
import { createResilience, type Resilience } from './partner-center/resilience.js';
import { createReadiness, DEGRADATIONS } from './http/readiness.js';
import { buildServer, type Server } from './http/server.js';
import { createUpstreamPool } from './partner-center/pool.js';
import { profilesKind } from './cache/profiles.js';
import { qualificationsKind } from './cache/qualifications.js';
import { createReadCache } from './cache/read-cache.js';
import { appScope } from './cache/scope.js';
import type { ContextCache } from './graphql/context.js';
import type { Metrics } from './observability/metrics.js';
import { createRedisConnection, type RedisConnection } from './redis/connection.js';
import { createFleet, type Fleet, type FleetObserver } from './fleet/fleet.js';
import { createWatchHub } from './watch/watch-hub.js';
import { createWatchFleet, LOCAL_WATCH_FLEET } from './watch/watch-fleet.js';
import { createWatchMetrics } from './observability/watch-metrics.js';
import { createAuditFeed, type AuditFeed } from './audit/audit-feed.js';
import { memoryAppliedRecords, redisAppliedRecords } from './audit/applied-records.js';
import { createAuditMetrics } from './observability/audit-metrics.js';
import type { WatchHub } from './watch/watch-hub.js';
import type { WatchFleet } from './watch/watch-fleet.js';

export interface GatewayDeps {
  readonly config: Config;
  /** Where Partner Center is: the configured URL, or the built-in simulator's. */
  readonly baseUrl: URL;
  readonly logger: PinoLogger;
  readonly fallbackAuthorization?: string | undefined;
  /** Tests may inject their own dispatcher; otherwise one keep-alive pool is made. */
  readonly dispatcher?: Dispatcher;
  /**
   * For the sign-in authority and the inbound JWKS; tests pass one that trusts their own CA.
   * Otherwise a keep-alive agent of its own.
   */
  readonly identityDispatcher?: Dispatcher;
  /** Redis's per-command bound; tests on a loaded machine allow more than the default 100 ms. */
  readonly redisCommandTimeoutMs?: number;
  /** Between multipart subscription heartbeats (5 s); tests make it short. */
  readonly multipartHeartbeatMs?: number;
  /** graphql-ws's wait for `connection_init` (10 s); tests make it short. Not a setting: 10 s is the contract. */
  readonly subscriptionInitWaitMs?: number;
  /** Between graphql-ws keepalive pings (12 s); tests make it short. */
  readonly subscriptionPingMs?: number;
  /**
   * The audit feed's clock of dates (tests move it across midnight), and the one subscriptions
   * tell a caller token's expiry by (tests set it just before a token's `exp`).
   */
  readonly now?: () => number;
}

export interface Gateway extends Server {
  /** App mode's token provider, so start-up can fetch the first token early. */
  readonly appToken: AppTokenProvider | undefined;
  /** The fleet's shared Redis (`REDIS_URL`), for every capability that needs one. */
  readonly redis: RedisConnection | undefined;
  /** The call budget and 429 holds (their mode and counts, for metrics and tests). */
  readonly fleet: Fleet;
  /** App mode with `AUDIT_POLL_SECONDS` > 0: the audit-records feed (docs/cache.md). */
  readonly auditFeed: AuditFeed | undefined;
  /** Stops the HTTP server (draining requests in flight), then the upstream pool. */
  close(): Promise<void>;
}

export interface Upstream {
  readonly api: PartnerCenterApi;
  readonly resilience: Resilience;
  /** The bound on calls in flight, and what it has learnt of their hold times. */
  readonly inFlight: InFlightLimit;
  readonly holdTimes: HoldTimes;
  /** The call budget and 429 holds every attempt passes, shared through Redis if there is one. */
  readonly fleet: Fleet;
}

/** What the fleet's policies share through, and report to. */
export interface FleetDeps {
  readonly redis?: RedisConnection | undefined;
  readonly observer?: FleetObserver | undefined;
}

/** The Partner Center client with its process-wide retry and breaker policies. */
export function createUpstream(
  config: Config,
  baseUrl: URL,
  dispatcher: Dispatcher,
  logger: Logger,
  observer?: UpstreamObserver,
  queueObserver?: QueueObserver,
  fleetDeps: FleetDeps = {},
): Upstream {
  const resilience = createResilience({
    retries: config.upstreamRetries,
    retryBaseMs: config.upstreamRetryBaseMs,
    retryAfterMaxMs: config.upstreamRetryAfterMaxMs,
    breakerThreshold: config.breakerFailureThreshold,
    breakerHalfOpenMs: config.breakerHalfOpenMs,
  });
  const holdTimes = createHoldTimes(
    holdTimePriorMs(config.upstreamTimeoutMs),
    config.upstreamTimeoutMs,
  );
  const inFlight = createInFlightLimit(config.upstreamMaxConcurrency, {
    holdTimes,
    observer: queueObserver,
  });
  const fleet = createFleet({
    callsPerMinute: config.upstreamMaxCallsPerMinute,
    retryAfterMaxMs: config.upstreamRetryAfterMaxMs,
    connection: fleetDeps.redis,
    logger,
    roundTripMs: () => holdTimes.cautiousMs(),
    observer: fleetDeps.observer,
  });
  const http = createHttpClient({
    baseUrl,
    dispatcher,
    timeoutMs: config.upstreamTimeoutMs,
    logger,
    resilience,
    observer,
    inFlight,
    gate: fleet.gate,
  });
  return { api: createPartnerCenterApi(http), resilience, inFlight, holdTimes, fleet };
}

/** Wires config → upstream pool → Partner Center client → HTTP server. Does not listen. */
export async function createGateway(deps: GatewayDeps): Promise<Gateway> {
  const { config } = deps;
  const dispatcher =
    deps.dispatcher ?? createUpstreamPool(deps.baseUrl, config.upstreamMaxConcurrency);
  const metrics = createMetrics();
  const redis =
    config.redisUrl === undefined
      ? undefined
      : createRedisConnection({
          url: config.redisUrl,
          logger: deps.logger,
          commandTimeoutMs: deps.redisCommandTimeoutMs,
        });
  const { api, resilience, inFlight, holdTimes, fleet } = createUpstream(
    config,
    deps.baseUrl,
    dispatcher,
    deps.logger,
    metrics.upstream,
    metrics.queue,
    { redis, observer: metrics.fleet },
  );
  metrics.watchFleet(() => fleet.state());
  metrics.watchBreaker(() => resilience.breakerState());
  const admission = createAdmission({
    maxConcurrency: config.upstreamMaxConcurrency,
    holdTimes,
    upstreamLoad: () => inFlight.load(),
  });
  metrics.watchOverload(() => ({
    reservedReads: admission.reservedReads(),
    holdMeanMs: holdTimes.meanMs(),
    holdCautiousMs: holdTimes.cautiousMs(),
  }));
  const identityDispatcher = deps.identityDispatcher ?? new Agent();
  const auth = config.partnerCenterAuth;
  const appToken =
    auth.mode === 'app'
      ? await createAppTokenProvider(auth, {
          dispatcher: identityDispatcher,
          timeoutMs: config.upstreamTimeoutMs,
          logger: deps.logger,
        })
      : undefined;
  const readiness = createReadiness(
    () => resilience.breakerState(),
    appToken,
    // As the budget and the cache see it: a Redis that stopped answering is away too.
    redis === undefined ? undefined : () => redis.isReady() && fleet.state().budgetMode !== 'local',
  );
  metrics.watchDegradations(DEGRADATIONS, () => readiness.degradations());
  const watchMetrics = createWatchMetrics(metrics.registry, () => watch.watched());
  const watchFleet = redis === undefined ? LOCAL_WATCH_FLEET : createWatchFleet(redis, deps.logger);
  const watch = createWatchHub({
    cadence: {
      inReviewSeconds: config.watchPollInReviewSeconds,
      settledSeconds: config.watchPollSeconds,
    },
    fleet: watchFleet,
    logger: deps.logger,
    observer: watchMetrics.watch,
  });
  const cache = config.cacheEnabled ? createCache(config, deps.logger, redis, metrics) : undefined;
  const auditFeed =
    appToken === undefined || config.auditPollSeconds === 0
      ? undefined
      : startAuditFeed({ ...deps, redis, api, appToken, cache, watch, watchFleet, metrics });
  const server = await buildServer({
    watch,
    subscriptionObserver: watchMetrics.subscriptions,
    multipartHeartbeatMs: deps.multipartHeartbeatMs,
    subscriptionInitWaitMs: deps.subscriptionInitWaitMs,
    subscriptionPingMs: deps.subscriptionPingMs,
    now: deps.now,
    appScope: auth.mode === 'app' ? appScope(auth.tenantId, auth.clientId) : undefined,
    config,
    api,
    logger: deps.logger,
    metrics,
    admission: admissionPlugin({
      admission,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      // Reads the cache answers cost Partner Center nothing: neither charged nor refused.
      uncachedReads: (customerIds, context) => {
        let uncached = 0;
        for (const id of customerIds) if (!context.isAnsweredFromCache(id)) uncached += 1;
        return uncached;
      },
      onRefused: metrics.overloadRefused,
    }),
    fallbackAuthorization: deps.fallbackAuthorization,
    appToken,
    cache,
    inbound: createInboundAuthenticator(config.inboundAuth, {
      dispatcher: identityDispatcher,
      logger: deps.logger,
    }),
    // Overload is no readiness problem: refusing fast is the gateway working, and draining or
    // restarting it would only move the load onto fewer replicas.
    readinessProblems: () => readiness.problems(),
    degradations: async () =>
      (await readiness.degradations()).map((found) => readiness.describe(found)),
  });
  return {
    ...server,
    appToken,
    redis,
    fleet,
    auditFeed,
    async close() {
      await server.app.close();
      auditFeed?.close();
      watch.close();
      redis?.close();
      if (deps.dispatcher === undefined) await dispatcher.close();
      if (deps.identityDispatcher === undefined) await identityDispatcher.close();
    },
  };
}

/** The customer-read cache: memory always, Redis when configured (docs/cache.md). */
function createCache(
  config: Config,
  logger: Logger,
  redis: RedisConnection | undefined,
  metrics: Metrics,
): ContextCache {
  const policy = {
    settledSeconds: config.cacheMaxAgeSeconds,
    inReviewSeconds: config.cacheMaxAgeInReviewSeconds,
  };
  const auth = config.partnerCenterAuth;
  return {
    readCache: createReadCache({
      maxEntries: config.cacheMaxEntries,
      staleIfErrorSeconds: config.cacheStaleIfErrorSeconds,
      maxEntryLifetimeSeconds:
        Math.max(policy.settledSeconds, policy.inReviewSeconds) + config.cacheStaleIfErrorSeconds,
      logger,
      redis,
      observe: metrics.observeCacheLookup,
    }),
    qualifications: qualificationsKind(policy),
    profiles: profilesKind(policy),
    appScope: auth.mode === 'app' ? appScope(auth.tenantId, auth.clientId) : undefined,
  };
}

interface AuditFeedDeps extends GatewayDeps {
  readonly redis: RedisConnection | undefined;
  readonly api: PartnerCenterApi;
  readonly appToken: AppTokenProvider;
  readonly cache: ContextCache | undefined;
  readonly watch: WatchHub;
  readonly watchFleet: WatchFleet;
  readonly metrics: Metrics;
}

/**
 * The audit-records feed: one reader for the fleet (the watch's lease), what it applied kept in
 * Redis when there is one, and each record applied as a write would be: every tier of the cache
 * forgets the customer's answer, and the watch reads it again.
 */
function startAuditFeed(deps: AuditFeedDeps): AuditFeed {
  const { config, cache, watch, redis, appToken } = deps;
  const feed = createAuditFeed({
    api: deps.api,
    authorize: () => appToken.authorization(),
    intervalMs: config.auditPollSeconds * 1000,
    timeoutMs: config.operationTimeoutMs,
    // The watch's lease, with no answer recorded beside it: only the wait matters here.
    claim: async (name, ms) => (await deps.watchFleet.claim(name, name, ms)).waitMs,
    applied: redis === undefined ? memoryAppliedRecords() : redisAppliedRecords(redis, deps.logger),
    apply: async (customerId, effects) => {
      if (cache !== undefined) {
        if (effects.qualifications) {
          await cache.readCache.invalidate(cache.qualifications.name, customerId);
        }
        if (effects.profiles) await cache.readCache.invalidate(cache.profiles.name, customerId);
      }
      if (effects.qualifications) watch.written(customerId);
    },
    logger: deps.logger,
    observer: createAuditMetrics(deps.metrics.registry, deps.now),
    now: deps.now,
  });
  feed.start();
  return feed;
}

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
}

export interface Gateway extends Server {
  /** App mode's token provider, so start-up can fetch the first token early. */
  readonly appToken: AppTokenProvider | undefined;
  /** The fleet's shared Redis (`REDIS_URL`), for every capability that needs one. */
  readonly redis: RedisConnection | undefined;
  /** The call budget and 429 holds (their mode and counts, for metrics and tests). */
  readonly fleet: Fleet;
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
  const watch = createWatchHub({
    cadence: {
      inReviewSeconds: config.watchPollInReviewSeconds,
      settledSeconds: config.watchPollSeconds,
    },
    fleet: redis === undefined ? LOCAL_WATCH_FLEET : createWatchFleet(redis, deps.logger),
    logger: deps.logger,
    observer: watchMetrics.watch,
  });
  const server = await buildServer({
    watch,
    subscriptionObserver: watchMetrics.subscriptions,
    multipartHeartbeatMs: deps.multipartHeartbeatMs,
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
    cache: config.cacheEnabled ? createCache(config, deps.logger, redis, metrics) : undefined,
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
    async close() {
      await server.app.close();
      watch.close();
      redis?.close();
      if (deps.dispatcher === undefined) await dispatcher.close();
      if (deps.identityDispatcher === undefined) await identityDispatcher.close();
    },
  };
}

/** The customer-read cache: memory always, Redis when configured (README "Cache"). */
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

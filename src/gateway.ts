import type { Logger as PinoLogger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { createMetrics } from './metrics.js';
import type { UpstreamObserver } from './partner-center/observer.js';
import { createPartnerCenterApi, type PartnerCenterApi } from './partner-center/client.js';
import { createHttpClient } from './partner-center/http-client.js';
import { createResilience, type Resilience } from './partner-center/resilience.js';
import { buildServer, type Server } from './server.js';
import { createUpstreamPool } from './upstream-pool.js';

export interface GatewayDeps {
  readonly config: Config;
  /** Where Partner Center is: the configured URL, or the built-in simulator's. */
  readonly baseUrl: URL;
  readonly logger: PinoLogger;
  readonly fallbackAuthorization?: string | undefined;
  /** Tests may inject their own dispatcher; otherwise one keep-alive pool is made. */
  readonly dispatcher?: Dispatcher;
}

export interface Gateway extends Server {
  /** Stops the HTTP server (draining requests in flight), then the upstream pool. */
  close(): Promise<void>;
}

export interface Upstream {
  readonly api: PartnerCenterApi;
  readonly resilience: Resilience;
}

/** The Partner Center client with its process-wide retry and breaker policies. */
export function createUpstream(
  config: Config,
  baseUrl: URL,
  dispatcher: Dispatcher,
  logger: Logger,
  observer?: UpstreamObserver,
): Upstream {
  const resilience = createResilience({
    retries: config.upstreamRetries,
    retryBaseMs: config.upstreamRetryBaseMs,
    retryAfterMaxMs: config.upstreamRetryAfterMaxMs,
    breakerThreshold: config.breakerFailureThreshold,
    breakerHalfOpenMs: config.breakerHalfOpenMs,
  });
  const http = createHttpClient({
    baseUrl,
    dispatcher,
    timeoutMs: config.upstreamTimeoutMs,
    logger,
    resilience,
    observer,
  });
  return { api: createPartnerCenterApi(http), resilience };
}

/** Wires config → upstream pool → Partner Center client → HTTP server. Does not listen. */
export async function createGateway(deps: GatewayDeps): Promise<Gateway> {
  const { config } = deps;
  const dispatcher =
    deps.dispatcher ?? createUpstreamPool(deps.baseUrl, config.upstreamMaxConcurrency);
  const metrics = createMetrics();
  const { api, resilience } = createUpstream(
    config,
    deps.baseUrl,
    dispatcher,
    deps.logger,
    metrics.upstream,
  );
  metrics.watchBreaker(() => resilience.breakerState());
  const server = await buildServer({
    config,
    api,
    logger: deps.logger,
    metrics,
    fallbackAuthorization: deps.fallbackAuthorization,
    readinessProblems: () =>
      resilience.breakerState() === 'open' ? ['Partner Center circuit breaker is open'] : [],
  });
  return {
    ...server,
    async close() {
      await server.app.close();
      if (deps.dispatcher === undefined) await dispatcher.close();
    },
  };
}

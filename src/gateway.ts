import type { Logger as PinoLogger } from 'pino';
import type { Dispatcher } from 'undici';
import type { Config } from './config.js';
import { createPartnerCenterApi } from './partner-center/client.js';
import { createHttpClient } from './partner-center/http-client.js';
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

/** Wires config → upstream pool → Partner Center client → HTTP server. Does not listen. */
export async function createGateway(deps: GatewayDeps): Promise<Gateway> {
  const { config } = deps;
  const dispatcher =
    deps.dispatcher ?? createUpstreamPool(deps.baseUrl, config.upstreamMaxConcurrency);
  const api = createPartnerCenterApi(
    createHttpClient({
      baseUrl: deps.baseUrl,
      dispatcher,
      timeoutMs: config.upstreamTimeoutMs,
      logger: deps.logger,
    }),
  );
  const server = await buildServer({
    config,
    api,
    logger: deps.logger,
    fallbackAuthorization: deps.fallbackAuthorization,
  });
  return {
    ...server,
    async close() {
      await server.app.close();
      if (deps.dispatcher === undefined) await dispatcher.close();
    },
  };
}

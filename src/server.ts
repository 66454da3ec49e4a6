import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { createApolloServer } from './apollo.js';
import type { Config } from './config.js';
import { createContextFactory } from './context.js';
import type { PartnerCenterApi } from './partner-center/client.js';
import { createSchema } from './schema.js';

export interface ServerDeps {
  readonly config: Config;
  readonly api: PartnerCenterApi;
  readonly logger: PinoLogger;
  /** Only for the built-in simulator: lets Sandbox work without a token. */
  readonly fallbackAuthorization?: string | undefined;
}

export interface Server {
  readonly app: FastifyInstance;
  /** False once shutdown has begun, so `/readyz` tells the load balancer to stop sending. */
  setReady(ready: boolean): void;
}

/** Builds Fastify + Apollo with every route; the caller decides when to listen. */
export async function buildServer(deps: ServerDeps): Promise<Server> {
  const { config } = deps;
  const loggerInstance: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance,
    bodyLimit: config.bodyLimitBytes,
    // One log line per request would dominate the hot path; failures are logged where they happen.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  let ready = true;

  const apollo = createApolloServer({
    schema: createSchema(),
    config,
    logger: deps.logger,
    plugins: [fastifyApolloDrainPlugin(app)],
  });
  await apollo.start();

  const createContext = createContextFactory({
    api: deps.api,
    logger: deps.logger,
    maxCustomerIds: config.maxCustomerIds,
    fallbackAuthorization: deps.fallbackAuthorization,
  });

  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST'],
    context: (request, reply) => {
      const context = createContext({ headers: request.headers });
      void reply.header('ms-correlationid', context.correlationId);
      return Promise.resolve(context);
    },
  });

  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', (_request, reply) =>
    ready ? { status: 'ready' } : reply.code(503).send({ status: 'draining' }),
  );

  return {
    app,
    setReady(value) {
      ready = value;
    },
  };
}

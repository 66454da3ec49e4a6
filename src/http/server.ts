import fastifyApollo from '@as-integrations/fastify';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { createApolloServer, formatError, operationLimits } from '../graphql/apollo.js';
import type { GraphQLError } from 'graphql';
import { attachWsServer } from '../subscriptions/ws-server.js';
import { createMultipartTransport } from '../subscriptions/multipart-transport.js';
import type { SubscriptionObserver } from '../subscriptions/subscriber.js';
import type { WatchHub } from '../watch/watch-hub.js';
import type { Config } from '../config.js';
import { createContextFactory, type ContextCache } from '../graphql/context.js';
import type { AppTokenProvider } from '../credentials/app-token.js';
import type { InboundAuthenticator } from '../credentials/inbound-auth.js';
import { messageFor } from '../graphql/errors.js';
import { registerCors } from './cors.js';
import { registerGraphiql } from './graphiql.js';
import type { Metrics } from '../observability/metrics.js';
import type { PartnerCenterApi } from '../partner-center/client.js';
import type { AdmissionPlugin } from '../overload/admission-plugin.js';
import { createSchema } from '../graphql/schema.js';
import { OperationsInFlight } from '../graphql/operations-in-flight.js';
import { createDocumentCache } from '../graphql/query-stores.js';
import { closeUnusedConnections, drainConnections, trackConnections } from './drain.js';
import { RequestsInFlight } from './requests-in-flight.js';

export interface ServerDeps {
  readonly config: Config;
  readonly api: PartnerCenterApi;
  readonly logger: PinoLogger;
  /** Only for the built-in simulator: lets Sandbox work without a token. */
  readonly fallbackAuthorization?: string | undefined;
  readonly metrics: Metrics;
  /** Overload admission (`src/overload/`), after the upstream budget. */
  readonly admission?: AdmissionPlugin | undefined;
  /**
   * Why this pod cannot serve right now (empty when it can): `/readyz` answers 503 with them.
   * Only the pod's own state belongs here; what every replica shares goes in `degradations`.
   */
  readonly readinessProblems?: () => Promise<string[]>;
  /**
   * What is wrong beyond this pod (an open breaker, a failing authority): every replica sees the
   * same, so taking them all out of the load balancer helps no one. `/readyz` stays 200 and
   * lists them.
   */
  readonly degradations?: () => Promise<string[]>;
  readonly appToken?: AppTokenProvider | undefined;
  readonly inbound?: InboundAuthenticator | undefined;
  /** The customer-read cache; absent with `CACHE_ENABLED=false`. */
  readonly cache?: ContextCache | undefined;
  /** Live updates: the watch the subscriptions share (`src/watch/`). */
  readonly watch: WatchHub;
  /** App mode: the one scope every caller's reads share. */
  readonly appScope?: string | undefined;
  readonly subscriptionObserver?: SubscriptionObserver | undefined;
  /** Between a multipart subscription's heartbeats (5 s); tests make it short. */
  readonly multipartHeartbeatMs?: number | undefined;
  /** graphql-ws: the wait for `connection_init` (10 s) and between pings (12 s); tests make them short. */
  readonly subscriptionInitWaitMs?: number | undefined;
  readonly subscriptionPingMs?: number | undefined;
  /** The clock a subscriber's token expiry is told by (`Date.now` otherwise). */
  readonly now?: (() => number) | undefined;
}

export interface Server {
  readonly app: FastifyInstance;
  /**
   * Shutdown has begun: `/readyz` tells the load balancer to stop sending, and every answer from
   * now on asks its client to close the connection.
   */
  setDraining(): void;
  /**
   * Shutdown's first part: `setDraining`, no new connections or subscriptions, and connections
   * still idle after `idleLingerMs` closed. The subscription sockets and streams are ended once
   * that linger is over and every HTTP request is answered, or at `socketsWithinMs` at the
   * latest. Resolves once every connection has ended; a busy one ends after its next answer.
   */
  drain(idleLingerMs: number, socketsWithinMs?: number): Promise<void>;
  /**
   * Shutdown's last resort, when its grace is over: every operation still running (and any
   * started later) ends at once, its waits for Partner Center answered `SHUTTING_DOWN`. Returns
   * how many operations were running.
   */
  cutOperationsShort(): number;
  /** WebSocket connections open now (graphql-ws). */
  subscriptionConnections(): number;
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
  // Fastify would bind a child logger to every request for its own request ids, which nothing
  // here logs; operations log with their correlation id instead.
  app.setChildLoggerFactory((logger) => logger);
  let draining = false;
  const requests = new RequestsInFlight();
  app.addHook('onRequest', (_request, reply, done) => {
    requests.began(reply.raw);
    done();
  });
  // While draining, ask every client to close its connection after the answer: the connection
  // then ends at the boundary of an answer, with nothing of the client's left unanswered on it.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) void reply.header('connection', 'close');
    done(null, payload);
  });

  // Fastify refuses bodies that are too large (413), not JSON (400) or of another media type
  // (415) before GraphQL runs; GraphQL clients still get a GraphQL-shaped answer.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({
      errors: [
        {
          message: status >= 500 ? messageFor('INTERNAL_SERVER_ERROR') : error.message,
          extensions: { code: status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' },
        },
      ],
    });
  });

  await registerCors(app, config.corsOrigins);

  const schema = createSchema();
  const apollo = createApolloServer({
    schema,
    config,
    logger: deps.logger,
    metrics: deps.metrics,
    admission: deps.admission,
  });
  await apollo.start();
  // Apollo stops after the HTTP server is closed (onClose runs once every connection has ended).
  // Its Fastify drain plugin is not used: it closes Fastify the moment Apollo stops, and closing
  // is shutdown's business (`drain`).
  app.addHook('onClose', () => apollo.stop());
  const inFlight = new OperationsInFlight();

  const createContext = createContextFactory({
    api: deps.api,
    logger: deps.logger,
    maxCustomerIds: config.maxCustomerIds,
    operationTimeoutMs: config.operationTimeoutMs,
    cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
    cacheMaxAgeInReviewSeconds: config.cacheMaxAgeInReviewSeconds,
    fallbackAuthorization: deps.fallbackAuthorization,
    appToken: deps.appToken,
    inbound: deps.inbound,
    observeBatch: deps.metrics.observeBatch,
    cache: deps.cache,
    inFlight,
    onCustomerWritten: (customerId) => {
      deps.watch.written(customerId);
    },
  });

  const rules = {
    schema,
    validationRules: operationLimits(config).validationRules,
    maxTokens: config.maxQueryTokens,
    documents: createDocumentCache(),
  };
  const subscriber = {
    api: deps.api,
    hub: deps.watch,
    cache: deps.cache,
    inbound: deps.inbound,
    app:
      deps.appToken === undefined || deps.appScope === undefined
        ? undefined
        : { token: deps.appToken, scope: deps.appScope },
    fallbackAuthorization: deps.fallbackAuthorization,
    maxIds: config.subscriptionMaxIds,
    readTimeoutMs: config.operationTimeoutMs,
    observer: deps.subscriptionObserver,
    now: deps.now,
  };
  const formatSubscriptionError = (error: GraphQLError) =>
    formatError(error.toJSON(), error, config.isProduction);
  const subscriptions = attachWsServer({
    server: app.server,
    rules,
    createContext,
    subscriber,
    maxPerConnection: config.subscriptionsPerConnectionMax,
    maxPayloadBytes: config.bodyLimitBytes,
    isProduction: config.isProduction,
    initWaitMs: deps.subscriptionInitWaitMs,
    pingEveryMs: deps.subscriptionPingMs,
    formatError: formatSubscriptionError,
    logger: deps.logger,
  });
  const multipart = createMultipartTransport({
    rules,
    createContext,
    subscriber,
    formatError: formatSubscriptionError,
    logger: deps.logger,
    heartbeatMs: deps.multipartHeartbeatMs,
  });
  // Before Apollo Server, which cannot serve subscriptions; after the body limit and parsing.
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.url !== '/graphql') return undefined;
    if (!(await multipart.handle(request, reply))) return undefined;
    requests.exempt(reply.raw);
    return reply;
  });
  trackConnections(app.server);
  // Before the server closes, which waits for every connection: the streams end theirs, and
  // connections that never sent a request go (the server's own close leaves them open).
  app.addHook('preClose', async () => {
    await multipart.close();
    closeUnusedConnections(app.server);
  });
  app.addHook('onClose', () => subscriptions.close());

  await app.register(fastifyApollo(apollo), {
    path: '/graphql',
    method: ['GET', 'POST'],
    context: async (request, reply) => {
      const context = await createContext({
        headers: request.headers,
        // A response closed before it was finished means the client went away: stop its work.
        onClientGone: (abort) =>
          reply.raw.once('close', () => {
            if (!reply.raw.writableFinished) abort();
          }),
      });
      void reply.header('ms-correlationid', context.correlationId);
      return context;
    },
  });

  if (config.sandboxEnabled) registerGraphiql(app);

  // Liveness stays trivial: restarting the process fixes none of the readiness problems.
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const problems = [
      ...(draining ? ['shutting down'] : []),
      ...((await deps.readinessProblems?.()) ?? []),
    ];
    if (problems.length > 0) return reply.code(503).send({ status: 'not ready', problems });
    const degraded = (await deps.degradations?.()) ?? [];
    return degraded.length === 0 ? { status: 'ready' } : { status: 'ready', degraded };
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );

  return {
    app,
    setDraining() {
      draining = true;
    },
    drain(idleLingerMs, socketsWithinMs = Infinity) {
      draining = true;
      // At once: a subscription begun now would be ended before its first change could come.
      subscriptions.refuseNew();
      multipart.refuseNew();
      // Subscriptions end once the last requests of idle connections and those in flight are
      // answered, with 1001: their clients reconnect to another replica (graphql-ws clients wait
      // a random while first, which spreads them), and are served here until then. Multipart
      // streams end with their closing delimiter, and their connections with them.
      const sockets = new Promise<void>((resolve) => {
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          clearTimeout(bound);
          void Promise.all([subscriptions.close(), multipart.close()]).then(
            () => resolve(),
            () => resolve(),
          );
        };
        const bound =
          socketsWithinMs === Infinity ? undefined : setTimeout(end, socketsWithinMs).unref();
        setTimeout(() => void requests.idle().then(end), idleLingerMs).unref();
      });
      return Promise.all([drainConnections(app.server, idleLingerMs), sockets]).then(
        () => undefined,
      );
    },
    subscriptionConnections: () => subscriptions.connections(),
    cutOperationsShort() {
      return inFlight.cutShort();
    },
  };
}

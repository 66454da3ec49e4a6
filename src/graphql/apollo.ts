import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { cacheControlPlugin } from './cache-control.js';
import { createApqStore, createDocumentStore } from './query-stores.js';
import type { Config } from '../config.js';
import type { Context } from './context.js';
import { isErrorCode, messageFor } from './errors.js';
import type { Logger } from '../observability/logger.js';
import { EXAMPLE_OPERATION, EXAMPLE_VARIABLES } from './sandbox-example.js';
import { sandboxLandingPage } from './sandbox-landing-page.js';
import type { Metrics } from '../observability/metrics.js';
import { operationReportPlugin } from '../observability/operation-report.js';
import { upstreamBudgetPlugin, type AfterBudget } from './upstream-budget.js';

export interface ApolloOptions {
  readonly schema: GraphQLSchema;
  readonly config: Pick<
    Config,
    | 'nodeEnv'
    | 'isProduction'
    | 'sandboxEnabled'
    | 'introspectionEnabled'
    | 'maxUpstreamCallsPerOperation'
    | 'maxQueryDepth'
    | 'maxAliases'
    | 'maxQueryTokens'
    | 'apqCacheBytes'
  >;
  readonly logger: Logger;
  readonly metrics?: Metrics | undefined;
  readonly plugins?: readonly ApolloServerPlugin<Context>[];
  /** Overload admission: told each operation's reads once they pass the upstream budget. */
  readonly admission?:
    { readonly afterBudget: AfterBudget; readonly plugin: ApolloServerPlugin<Context> } | undefined;
}

/**
 * graphql-armor's bounds on what parsing and validation may cost: Apollo applies them to HTTP
 * operations, the subscription transports to theirs.
 */
export function operationLimits(
  config: Pick<ApolloOptions['config'], 'maxQueryDepth' | 'maxAliases'>,
): ReturnType<ApolloArmor['protect']> {
  return new ApolloArmor({
    maxDepth: { n: config.maxQueryDepth, ignoreIntrospection: true },
    maxAliases: { n: config.maxAliases },
    // armor's token plugin re-parses in parsingDidStart and its error becomes a 500; graphql's
    // own parser limit (parseOptions below) answers 400 GRAPHQL_PARSE_FAILED instead.
    maxTokens: { enabled: false },
    // Apollo's hideSchemaDetailsFromClientErrors already does this in production.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

export function createApolloServer(options: ApolloOptions): ApolloServer<Context> {
  const { config, logger } = options;
  // graphql-armor bounds what parsing and validation may cost; the upstream budget bounds what
  // execution may cost Partner Center.
  const armor = operationLimits(config);
  return new ApolloServer<Context>({
    schema: options.schema,
    nodeEnv: config.nodeEnv,
    introspection: config.introspectionEnabled,
    // Field suggestions ("Did you mean …") leak the schema when introspection is off.
    hideSchemaDetailsFromClientErrors: config.isProduction,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    csrfPrevention: true,
    // main.ts owns SIGTERM and SIGINT: Apollo's own handler would stop it (and, through a drain
    // plugin, close Fastify) at once, resetting keep-alive connections shutdown means to drain.
    stopOnTerminationSignals: false,
    // Parsed documents and automatic persisted queries (query text by hash) are shared by all
    // callers (they hold no data), in stores bounded by the heap they hold.
    documentStore: createDocumentStore(),
    persistedQueries:
      config.apqCacheBytes === 0 ? false : { cache: createApqStore(config.apqCacheBytes) },
    parseOptions: { maxLexicalTokens: config.maxQueryTokens },
    logger: apolloLogger(logger),
    formatError: (formatted, error) => formatError(formatted, error, config.isProduction),
    validationRules: armor.validationRules,
    plugins: [
      ...(options.plugins ?? []),
      // graphql-armor is typed against @apollo/server's CommonJS declarations; same runtime API.
      ...(armor.plugins as unknown as ApolloServerPlugin<Context>[]),
      upstreamBudgetPlugin(config.maxUpstreamCallsPerOperation, options.admission?.afterBudget),
      ...(options.admission === undefined ? [] : [options.admission.plugin]),
      ApolloServerPluginCacheControlDisabled(),
      cacheControlPlugin(),
      operationReportPlugin({ metrics: options.metrics, exposeCost: !config.isProduction }),
      // After the report, which still writes to the operation's span.
      disposePlugin(),
      errorLoggingPlugin(),
      config.sandboxEnabled
        ? sandboxLandingPage({
            embed: true,
            document: EXAMPLE_OPERATION,
            variables: EXAMPLE_VARIABLES,
            includeCookies: false,
          })
        : ApolloServerPluginLandingPageDisabled(),
    ],
  });
}

/**
 * Apollo's answers (HTTP 400) to a client's APQ mistakes: a `version` other than 1, a hash that
 * is not the query's. Apollo gives them no code, which would make them INTERNAL_SERVER_ERROR.
 */
const APQ_MISTAKES = new Set([
  'Unsupported persisted query version',
  'provided sha does not match query',
]);

function isApqMistake(error: unknown): boolean {
  return (
    error instanceof GraphQLError &&
    error.extensions['code'] === undefined &&
    APQ_MISTAKES.has(error.message)
  );
}

/**
 * Keeps `extensions.code` inside the closed table. Anything else is an unexpected failure: the
 * client gets INTERNAL_SERVER_ERROR, and in production no message or stack of ours.
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
  isProduction: boolean,
): GraphQLFormattedError {
  if (isApqMistake(error)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
  }
  const code = formatted.extensions?.['code'];
  if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') return formatted;
  return {
    message: isProduction ? messageFor('INTERNAL_SERVER_ERROR') : formatted.message,
    ...(formatted.locations === undefined ? {} : { locations: formatted.locations }),
    ...(formatted.path === undefined ? {} : { path: formatted.path }),
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      // Which customer it was about is ours to say, not a detail of the failure.
      ...(typeof formatted.extensions?.['customerId'] === 'string'
        ? { customerId: formatted.extensions['customerId'] }
        : {}),
      ...(isProduction || formatted.extensions?.['stacktrace'] === undefined
        ? {}
        : { stacktrace: formatted.extensions['stacktrace'] }),
    },
  };
}

/** Ends the operation's deadline timer once its response is on its way. */
function disposePlugin(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: ({ contextValue }) => {
          contextValue.dispose();
          return Promise.resolve();
        },
      }),
  };
}

/** Logs what went wrong with the operation's correlation id; expected outcomes at debug. */
function errorLoggingPlugin(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didEncounterErrors: ({ errors, contextValue }) => {
          for (const error of errors) {
            const code = isApqMistake(error) ? 'BAD_REQUEST' : error.extensions['code'];
            const original = unwrapResolverError(error);
            if (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') {
              contextValue.logger.debug(
                { code, path: error.path, err: error.message },
                'operation error',
              );
            } else {
              contextValue.logger.error(
                { code, path: error.path, err: original },
                'unexpected error',
              );
            }
          }
          return Promise.resolve();
        },
      }),
  };
}

function apolloLogger(logger: Logger) {
  return {
    debug: (message: string) => logger.debug({}, message),
    info: (message: string) => logger.info({}, message),
    warn: (message: string) => logger.warn({}, message),
    error: (message: string) => logger.error({}, message),
  };
}

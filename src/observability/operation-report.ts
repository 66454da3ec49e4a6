import { SpanStatusCode } from '@opentelemetry/api';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../graphql/context.js';
import { isErrorCode, type ErrorCode } from '../graphql/errors.js';
import type { Metrics } from './metrics.js';

export interface OperationReportOptions {
  readonly metrics?: Metrics | undefined;
  /**
   * Answer `extensions.upstreamCost` to requests that send an `x-upstream-cost` header: what the
   * operation cost Partner Center. Off in production.
   */
  readonly exposeCost: boolean;
}

/**
 * After each operation: one info log line with what it cost upstream, its metrics, and the cost
 * in the response when asked.
 */
export function operationReportPlugin(
  options: OperationReportOptions,
): ApolloServerPlugin<Context> {
  return {
    requestDidStart: ({ request }) => {
      const started = performance.now();
      const wantsCost =
        options.exposeCost && request.http?.headers.get('x-upstream-cost') !== undefined;
      return Promise.resolve({
        willSendResponse: ({ contextValue, operation, operationName, response }) => {
          const seconds = (performance.now() - started) / 1000;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes: ErrorCode[] = (result?.errors ?? []).map((error) => {
            const code = error.extensions?.['code'];
            return isErrorCode(code) ? code : 'INTERNAL_SERVER_ERROR';
          });
          const { stats } = contextValue;
          const cost = {
            calls: stats.upstreamCalls,
            deduplicated: stats.loads - stats.uniqueLoads,
            retries: stats.retries,
            cacheHits: stats.cacheHits,
          };
          const type = operation?.operation ?? 'unknown';
          options.metrics?.observeOperation(type, seconds, stats, codes);
          const { span } = contextValue;
          span.updateName(`graphql.${type}${operationName ? ` ${operationName}` : ''}`);
          span.setAttributes({
            'graphql.operation.type': type,
            ...(operationName ? { 'graphql.operation.name': operationName } : {}),
            'upstream.calls': cost.calls,
            'upstream.deduplicated': cost.deduplicated,
            'upstream.retries': cost.retries,
            'upstream.cache_hits': cost.cacheHits,
          });
          if (codes.length > 0)
            span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
          if (contextValue.logs('info')) {
            contextValue.logger.info(
              {
                operationName: operationName ?? null,
                operationType: type,
                durationMs: Math.round(seconds * 1000),
                upstreamCalls: cost.calls,
                deduplicated: cost.deduplicated,
                retries: cost.retries,
                cacheHits: cost.cacheHits,
                // Only when it happened: calls that waited for room in the call budget.
                ...(stats.budgetWaits > 0
                  ? { budgetWaits: stats.budgetWaits, budgetWaitMs: Math.round(stats.budgetWaitMs) }
                  : {}),
                errorCodes: codes,
              },
              'graphql operation',
            );
          }
          if (wantsCost && result !== undefined) {
            result.extensions = { ...result.extensions, upstreamCost: cost };
          }
          return Promise.resolve();
        },
      });
    },
  };
}

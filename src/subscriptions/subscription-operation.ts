import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  OperationTypeNode,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { LRUCache } from 'lru-cache';
import type { ContextFactory } from '../graphql/context.js';
import { subscribeWithEventContexts } from './event-execution.js';
import type { Subscriber } from './subscriber.js';

/** Either transport's answer to a subscription asked for once shutdown has begun. */
export const SHUTTING_DOWN_MESSAGE =
  'The gateway is shutting down; subscribe again to reach another replica.';

/** What a client sends to subscribe, on either transport. */
export interface SubscribeRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>> | null | undefined;
  readonly operationName?: string | null | undefined;
}

export interface OperationRules {
  readonly schema: GraphQLSchema;
  /** graphql-armor's rules, as HTTP operations get them. */
  readonly validationRules: readonly ValidationRule[];
  /** `MAX_QUERY_TOKENS`. */
  readonly maxTokens: number;
  /**
   * Documents that passed parsing and validation, by query text (`createDocumentCache`): the
   * subscriptions of a thousand browser tabs running one operation share one document instead of
   * holding a thousand parses (tokens and locations are most of an idle subscription's heap).
   */
  readonly documents: LRUCache<string, DocumentNode>;
}

/**
 * Parses and validates a subscription, and checks its variables, as Apollo does an HTTP
 * operation (the same token, depth and alias limits); errors carry the codes Apollo would give. Only subscriptions: queries and
 * mutations go over HTTP, where the upstream budget and admission control apply.
 */
export function prepareSubscription(
  rules: OperationRules,
  request: SubscribeRequest,
): { readonly document: DocumentNode } | { readonly errors: readonly GraphQLError[] } {
  const valid = validDocument(rules, request.query);
  if ('errors' in valid) return valid;
  const { document } = valid;
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (operation === null || operation === undefined) {
    return {
      errors: [coded('Could not tell which operation to run.', 'OPERATION_RESOLUTION_FAILURE')],
    };
  }
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return {
      errors: [
        coded(
          'Only subscriptions are served here; send queries and mutations to POST /graphql.',
          'BAD_REQUEST',
        ),
      ],
    };
  }
  // graphql-js would report wrong variables without a code, as if they were a failure of ours.
  const variables = getVariableValues(
    rules.schema,
    operation.variableDefinitions ?? [],
    request.variables ?? {},
  );
  if (variables.errors !== undefined) {
    return {
      errors: variables.errors.map((error) => coded(error.message, 'BAD_USER_INPUT', error)),
    };
  }
  return { document };
}

/** The query parsed and validated, from the cache when it has been before. */
function validDocument(
  rules: OperationRules,
  query: string,
): { readonly document: DocumentNode } | { readonly errors: readonly GraphQLError[] } {
  const known = rules.documents.get(query);
  if (known !== undefined) return { document: known };
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: rules.maxTokens });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { errors: [coded(error.message, 'GRAPHQL_PARSE_FAILED', error)] };
  }
  const invalid = validate(rules.schema, document, [...specifiedRules, ...rules.validationRules]);
  if (invalid.length > 0) {
    return {
      errors: invalid.map((error) => coded(error.message, 'GRAPHQL_VALIDATION_FAILED', error)),
    };
  }
  rules.documents.set(query, document);
  return { document };
}

/**
 * Runs a prepared subscription for `subscriber`: the `subscribe` resolver gets the watch, each
 * event an operation context of its own. `onRefused` ends the transport's connection when
 * Partner Center refuses the subscriber's token.
 */
export async function runSubscription(
  rules: OperationRules,
  createContext: ContextFactory,
  subscriber: Subscriber,
  request: SubscribeRequest,
  document: DocumentNode,
  onRefused: () => void,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const { headers } = subscriber;
  const contextValue = await createContext({
    headers,
    authenticated: true,
    live: subscriber.live(onRefused),
  });
  const args: ExecutionArgs = {
    schema: rules.schema,
    document,
    variableValues: request.variables ?? undefined,
    operationName: request.operationName ?? undefined,
    contextValue,
  };
  try {
    return await subscribeWithEventContexts(args, () =>
      createContext({ headers, authenticated: true }),
    );
  } finally {
    contextValue.dispose();
  }
}

/** An error with one of the table's codes, keeping where in the document it is. */
function coded(message: string, code: string, from?: GraphQLError): GraphQLError {
  return new GraphQLError(message, {
    nodes: from?.nodes ?? null,
    source: from?.source ?? null,
    positions: from?.positions ?? null,
    extensions: { code },
  });
}

import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  OperationTypeNode,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Context } from './context.js';

/** Root fields whose answers are customer reads, each hinted by the customers it read. */
const CACHEABLE_ROOT_FIELDS = new Set(['customer', 'customers', '_entities', '__typename']);

/**
 * Sets `Cache-Control` on every GraphQL response: `max-age=N, private|public` for a query that
 * only reads customers and succeeded, N being what its least settled customer allows
 * (`Context.cacheHint`); `no-store` for anything else (mutations, errors, other root fields, a
 * query that read no customer, an answer with a stale entry in it).
 *
 * It replaces Apollo Server's cache-control plugin, which runs a hook for every resolved field to
 * support `@cacheControl` hints this schema does not use: for a one-customer query that was
 * about 6 % of the gateway's CPU.
 */
export function cacheControlPlugin(): ApolloServerPlugin<Context> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        willSendResponse: ({ contextValue, operation, document, response }) => {
          const { maxAge, noStore } = contextValue.cacheHint;
          const cacheable =
            !noStore &&
            maxAge !== undefined &&
            maxAge > 0 &&
            response.body.kind === 'single' &&
            response.body.singleResult.errors === undefined &&
            operation?.operation === OperationTypeNode.QUERY &&
            readsOnlyCustomers(operation, document?.definitions ?? []);
          response.http.headers.set(
            'cache-control',
            cacheable
              ? `max-age=${String(maxAge)}, ${contextValue.cachePolicy.scope.toLowerCase()}`
              : 'no-store',
          );
          return Promise.resolve();
        },
      }),
  };
}

function readsOnlyCustomers(
  operation: OperationDefinitionNode,
  definitions: readonly DefinitionNode[],
): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const only = (selectionSet: SelectionSetNode): boolean =>
    selectionSet.selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return CACHEABLE_ROOT_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return only(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return true;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment !== undefined && only(fragment.selectionSet);
    });
  return only(operation.selectionSet);
}

import type { GraphQLFormattedError } from 'graphql';

/**
 * The GraphQL errors of a `client.query` or `fetchMore` result under `errorPolicy: 'all'`.
 * Apollo Client 3 gives them only in the result's `errors` (marked deprecated: 4.0 moves them to
 * `error`); read through here, an upgrade changes one function.
 */
export function resultErrors(result: {
  readonly errors?: readonly GraphQLFormattedError[] | undefined;
}): readonly GraphQLFormattedError[] {
  return result.errors ?? [];
}

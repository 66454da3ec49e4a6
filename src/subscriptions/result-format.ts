import type {
  ExecutionResult,
  FormattedExecutionResult,
  GraphQLError,
  GraphQLFormattedError,
} from 'graphql';

/** What either transport sends of a result: its errors through the gateway's `formatError`. */
export function formatResult(
  result: {
    readonly errors?: readonly GraphQLError[] | undefined;
    readonly data?: ExecutionResult['data'] | undefined;
    readonly extensions?: ExecutionResult['extensions'] | undefined;
  },
  formatError: (error: GraphQLError) => GraphQLFormattedError,
): FormattedExecutionResult {
  return {
    ...(result.errors === undefined
      ? {}
      : { errors: result.errors.map((error) => formatError(error)) }),
    ...(result.data === undefined ? {} : { data: result.data }),
    ...(result.extensions === undefined ? {} : { extensions: result.extensions }),
  };
}

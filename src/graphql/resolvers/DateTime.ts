import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { parseIsoDateTime } from './date-time.js';

function toDate(value: unknown): Date {
  const date =
    value instanceof Date ? value : typeof value === 'string' ? parseIsoDateTime(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO-8601 date-time string.');
  }
  return date;
}

/**
 * One normalised output form: `toISOString()`, UTC with milliseconds. No `description` here:
 * buildSubgraphSchema copies every property this object defines onto the SDL's scalar, so one set
 * here would replace what schema/base.graphql says in introspection while the printed SDL kept it.
 */
export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => toDate(value).toISOString(),
  parseValue: toDate,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string.');
    return toDate(ast.value);
  },
});

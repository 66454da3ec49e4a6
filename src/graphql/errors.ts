import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { CredentialsError } from '../credentials/credentials-error.js';
import { isShutdownCut, UpstreamError } from '../partner-center/upstream-error.js';

/**
 * The closed table of `extensions.code` values a client can see. docs/errors.md lists the same
 * table (test/unit/errors-table.test.ts); `formatError` turns anything else into INTERNAL_SERVER_ERROR.
 */
export const ERROR_CODES = [
  // Ours.
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_BAD_RESPONSE',
  'OVERLOADED',
  'SHUTTING_DOWN',
  'INTERNAL_SERVER_ERROR',
  // Apollo Server's own, for requests that never reach a resolver.
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN = new Set<string>(ERROR_CODES);

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { ...extensions, code: 'BAD_USER_INPUT' } });
}

export function unauthenticated(message: string) {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

export function forbidden(message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { ...extensions, code: 'FORBIDDEN' } });
}

export function upstreamBadResponse(message: string) {
  return new GraphQLError(message, { extensions: { code: 'UPSTREAM_BAD_RESPONSE' } });
}

/**
 * An operation refused before any upstream call because it could not finish in time: HTTP 503
 * with `Retry-After`, so callers and load balancers back off instead of waiting to be told no.
 */
export function overloaded(message: string, retryAfterSeconds: number) {
  // Made thousands of times a second exactly when the gateway is busiest, and never a bug: a
  // stack trace would be a tenth of the gateway's CPU under overload, for nothing.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, {
      extensions: {
        code: 'OVERLOADED',
        retryAfter: retryAfterSeconds,
        http: { status: 503, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
      },
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** The one mapping from an upstream HTTP status to our code. */
export function codeForUpstreamStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 400) return 'BAD_USER_INPUT';
  if (status === 408) return 'UPSTREAM_TIMEOUT';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  return 'UPSTREAM_BAD_RESPONSE';
}

const MESSAGES: Record<ErrorCode, string> = {
  BAD_USER_INPUT: 'Partner Center rejected the request as invalid.',
  UNAUTHENTICATED: 'Partner Center did not accept the credentials.',
  FORBIDDEN: 'Partner Center refused access to this customer.',
  RATE_LIMITED: 'Partner Center is throttling requests; retry later.',
  UPSTREAM_UNAVAILABLE: 'Partner Center is unavailable.',
  UPSTREAM_TIMEOUT: 'Partner Center did not answer in time.',
  UPSTREAM_BAD_RESPONSE: 'Partner Center sent an answer the gateway cannot use.',
  OVERLOADED: 'The gateway is at capacity and could not finish this in time; retry later.',
  SHUTTING_DOWN: 'The gateway is shutting down and stopped waiting for Partner Center; retry.',
  INTERNAL_SERVER_ERROR: 'Internal server error.',
  GRAPHQL_PARSE_FAILED: 'The operation could not be parsed.',
  GRAPHQL_VALIDATION_FAILED: 'The operation is not valid for this schema.',
  BAD_REQUEST: 'Bad request.',
  OPERATION_RESOLUTION_FAILURE: 'The operation could not be resolved.',
  PERSISTED_QUERY_NOT_FOUND: 'PersistedQueryNotFound',
  PERSISTED_QUERY_NOT_SUPPORTED: 'PersistedQueryNotSupported',
};

/** RATE_LIMITED decided by the gateway before sending: the call budget, or a fleet-wide 429 hold. */
const NOT_SENT_RATE_LIMITED =
  "Not sent: the gateway's Partner Center call budget has no room, or Partner Center asked the gateway to hold off; retry later.";

export function messageFor(code: ErrorCode): string {
  return MESSAGES[code];
}

/** Which customer a failed call was about: a client paging many can tell which one failed. */
export interface ErrorScope {
  /** Normalised (lower-case) tenant id. */
  readonly customerId?: string;
}

/**
 * Turns a failed upstream call into a client-safe GraphQL error: a code from the table, the
 * upstream status and Partner Center code, never the upstream body or headers; `scope` names
 * the customer the call was about.
 */
export function fromUpstream(error: unknown, scope: ErrorScope = {}): GraphQLError {
  if (error instanceof CredentialsError) {
    const code = error.kind === 'refused' ? 'UNAUTHENTICATED' : 'UPSTREAM_UNAVAILABLE';
    return new GraphQLError(
      code === 'UNAUTHENTICATED'
        ? 'The gateway could not sign in to Partner Center with its app credentials.'
        : 'The gateway could not get a Partner Center token; the sign-in authority is unavailable.',
      { originalError: error, extensions: { code, ...scope } },
    );
  }
  if (!(error instanceof UpstreamError)) {
    return new GraphQLError(messageFor('INTERNAL_SERVER_ERROR'), {
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...scope },
      ...(error instanceof Error ? { originalError: error } : {}),
    });
  }
  const code = codeForError(error);
  return new GraphQLError(
    error.kind === 'rate-limited' ? NOT_SENT_RATE_LIMITED : messageFor(code),
    {
      originalError: error,
      extensions: {
        code,
        ...(error.status === undefined ? {} : { upstreamStatus: error.status }),
        ...(error.upstreamCode === undefined ? {} : { upstreamCode: error.upstreamCode }),
        ...((code === 'RATE_LIMITED' || code === 'OVERLOADED') &&
        error.retryAfterSeconds !== undefined
          ? { retryAfter: error.retryAfterSeconds }
          : {}),
        ...scope,
      },
    },
  );
}

function codeForError(error: UpstreamError): ErrorCode {
  switch (error.kind) {
    case 'status':
      return codeForUpstreamStatus(error.status ?? 502);
    case 'timeout':
      return 'UPSTREAM_TIMEOUT';
    case 'aborted':
      return isShutdownCut(error) ? 'SHUTTING_DOWN' : 'UPSTREAM_UNAVAILABLE';
    case 'network':
    case 'circuit-open':
      return 'UPSTREAM_UNAVAILABLE';
    case 'bad-response':
      return 'UPSTREAM_BAD_RESPONSE';
    // `deferred`: a background poll put off for interactive work. The watch never shows it, but
    // should one reach a client it is the gateway at capacity, with a retryAfter, like a shed call.
    case 'overloaded':
    case 'deferred':
      return 'OVERLOADED';
    case 'rate-limited':
      return 'RATE_LIMITED';
  }
}

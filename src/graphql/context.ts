import { randomUUID } from 'node:crypto';
import { SpanKind, trace, type Span } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import { isGuid } from './customer-id.js';
import { unauthenticated } from './errors.js';
import { createLoaders, type BatchObserver, type CachedReads, type Loaders } from './loaders.js';
import type { CacheKind } from '../cache/kind.js';
import type { QualificationsRead } from '../cache/qualifications.js';
import type { ProfileRead } from '../cache/profiles.js';
import type { CachedRead, ReadCache } from '../cache/read-cache.js';
import { userScope, withLocale } from '../cache/scope.js';
import type { LogLevel } from '../config.js';
import type { Logger } from '../observability/logger.js';
import { newOperationStats, type OperationStats } from '../observability/operation-stats.js';
import type { OperationsInFlight } from './operations-in-flight.js';
import type { AppTokenProvider } from '../credentials/app-token.js';
import type { InboundAuthenticator } from '../credentials/inbound-auth.js';
import type { PartnerCenterApi } from '../partner-center/client.js';
import type { CustomerModel } from './resolvers/models.js';
import type { CallContext } from '../partner-center/types.js';
import { traceParentOf, tracer, UNTRACED_SPAN } from '../observability/tracing.js';

/** Everything one GraphQL operation may use. Built per request; never shared. */
export interface Context {
  /** Whose Partner Center credentials the operation uses: the caller's, or the gateway's app identity. */
  readonly authMode: 'user' | 'app';
  /**
   * Whether the operation has Partner Center credentials at all (always in app mode). Without
   * them it may still ask what never reaches Partner Center (`__typename`, `_service`,
   * introspection); the upstream budget refuses the rest with 401 before anything runs.
   */
  readonly hasPartnerCenterCredentials: boolean;
  /** Partner Center, for the writes and the directory's list reads; customer reads use `loaders`. */
  readonly api: PartnerCenterApi;
  /** Credentials, ids, deadline and trace of this operation's upstream calls. */
  readonly call: CallContext;
  readonly correlationId: string;
  readonly logger: Logger;
  readonly loaders: Loaders;
  readonly maxCustomerIds: number;
  /** How long answers may be cached, and by whom (`PRIVATE` when they depend on the caller's token). */
  readonly cachePolicy: {
    readonly settledSeconds: number;
    readonly inReviewSeconds: number;
    readonly scope: 'PRIVATE' | 'PUBLIC';
  };
  /** What this operation has cost upstream so far. */
  readonly stats: OperationStats;
  /** The operation's trace span; upstream calls are its children. */
  readonly span: Span;
  /**
   * The longest the answer may be cached, as the customers read so far allow (`undefined` until
   * one is read); the resolvers lower it, the cache-control plugin turns it into the header.
   */
  readonly cacheHint: { maxAge: number | undefined; noStore: boolean };
  /**
   * After a write to the customer: drops what this operation and the cache (in every scope, on
   * every replica) hold for it, so what is read next is Partner Center's answer, and has the
   * customer's watchers read it now.
   */
  forgetCustomer(customerId: string): Promise<void>;
  /**
   * Whether this operation's read of the customer's qualifications would be answered from this
   * process's memory now (never with `Cache-Control: no-cache`): cheap, for admission control.
   */
  isAnsweredFromCache(customerId: string): boolean;
  /**
   * The watch, for a subscription's `subscribe` (absent outside the subscription transports,
   * and for each event's execution, which is an operation of its own).
   */
  readonly live?: LiveAccess | undefined;
  /** Whether a line at `level` would be written; skip building one that would not. */
  logs(level: LogLevel): boolean;
  /** Ends the deadline timer, the span and shutdown's hold; called once the response is sent. */
  dispose(): void;
}

/** A subscription's way to the watch of its customers (`src/subscriptions/`). */
export interface LiveAccess {
  /** `SUBSCRIPTION_MAX_IDS`. */
  readonly maxIds: number;
  /** Each customer's state now, then each change (normalised, distinct ids). */
  customers(ids: readonly string[]): AsyncIterableIterator<CustomerModel>;
}

export interface ContextDeps {
  readonly api: PartnerCenterApi;
  readonly logger: Logger;
  readonly maxCustomerIds: number;
  /** Whole-operation deadline: every upstream call and retry of it ends by then. */
  readonly operationTimeoutMs: number;
  /**
   * Used when the caller sends no `Authorization`: only the built-in simulator sets it, so a
   * newcomer's Sandbox works without a token. Never set against real Partner Center.
   */
  readonly fallbackAuthorization?: string | undefined;
  /** App mode: the gateway's own Partner Center token instead of the caller's. */
  readonly appToken?: AppTokenProvider | undefined;
  /** Checks the caller itself (router secret, caller JWT), before anything else happens. */
  readonly inbound?: InboundAuthenticator | undefined;
  readonly observeBatch?: BatchObserver | undefined;
  readonly cacheMaxAgeSeconds?: number | undefined;
  readonly cacheMaxAgeInReviewSeconds?: number | undefined;
  /** The gateway's cache of customer reads; absent with `CACHE_ENABLED=false`. */
  readonly cache?: ContextCache | undefined;
  /** Where shutdown finds the operations still running, to cut them short with an answer. */
  readonly inFlight?: OperationsInFlight | undefined;
  /** After a write to the customer: its watchers are told (`src/watch/`). */
  readonly onCustomerWritten?: ((customerId: string) => void) | undefined;
}

export interface ContextCache {
  readonly readCache: ReadCache;
  readonly qualifications: CacheKind<QualificationsRead>;
  readonly profiles: CacheKind<ProfileRead>;
  /** App mode: the gateway identity's scope, the same for every caller. */
  readonly appScope?: string | undefined;
}

export interface RequestInfo {
  readonly headers: IncomingHttpHeaders;
  /** Registers what to do if the client goes away before its answer (the HTTP layer knows). */
  readonly onClientGone?: ((abort: () => void) => void) | undefined;
  /**
   * The caller was checked already (router secret, caller JWT): a subscription's connection is
   * checked once, not again for each event.
   */
  readonly authenticated?: boolean | undefined;
  readonly live?: LiveAccess | undefined;
}

const LOCALE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/;
const NO_CACHE = /(^|,)\s*no-cache\s*(,|$)/i;
const CORRELATION_VECTOR = /^[A-Za-z0-9+/=.]{1,128}$/;

export type ContextFactory = (request: RequestInfo) => Promise<Context>;

export function createContextFactory(deps: ContextDeps): ContextFactory {
  const { appToken } = deps;
  const cachePolicy = {
    settledSeconds: deps.cacheMaxAgeSeconds ?? 0,
    inReviewSeconds: deps.cacheMaxAgeInReviewSeconds ?? 0,
    // With the gateway's own identity every caller sees the same answer.
    scope: appToken ? ('PUBLIC' as const) : ('PRIVATE' as const),
  };
  return async ({ headers, onClientGone, authenticated = false, live }) => {
    if (!authenticated) await deps.inbound?.authenticate(headers);
    const callerToken = appToken
      ? undefined
      : present(single(headers.authorization) ?? deps.fallbackAuthorization);
    const authorize = appToken ? () => appToken.authorization() : callerAuthorization(callerToken);
    const clientCorrelationId = single(headers['ms-correlationid']);
    const correlationId =
      clientCorrelationId !== undefined && isGuid(clientCorrelationId)
        ? clientCorrelationId
        : randomUUID();
    const operation = new AbortController();
    const { inFlight } = deps;
    const deadline = setTimeout(() => {
      operation.abort(new DOMException('operation deadline passed', 'TimeoutError'));
      inFlight?.finished(operation);
    }, deps.operationTimeoutMs);
    deadline.unref();
    inFlight?.started(operation);
    onClientGone?.(() => {
      operation.abort(new Error('client closed the connection'));
    });
    const stats = newOperationStats();
    // A router's traceparent makes this operation part of its trace.
    const parent = traceParentOf(headers);
    const span =
      parent === undefined
        ? UNTRACED_SPAN
        : tracer().startSpan(
            'graphql.operation',
            { kind: SpanKind.SERVER, attributes: { 'ms.correlation_id': correlationId } },
            parent,
          );
    const cacheHint = { maxAge: undefined, noStore: false };
    const call: CallContext = {
      authorize,
      stats,
      traceContext: parent === undefined ? undefined : trace.setSpan(parent, span),
      correlationId,
      forwardedHeaders: forwarded(headers),
      signal: operation.signal,
      deadlineAt: Date.now() + deps.operationTimeoutMs,
    };
    const cached = cachedReads(deps.cache, callerToken, call, headers, cacheHint);
    const loaders = createLoaders(deps.api, call, deps.observeBatch, cached);
    return new OperationContext(
      {
        authMode: appToken ? 'app' : 'user',
        hasPartnerCenterCredentials: appToken !== undefined || callerToken !== undefined,
        api: deps.api,
        call,
        correlationId,
        loaders,
        maxCustomerIds: deps.maxCustomerIds,
        cachePolicy,
        stats,
        span,
        cacheHint,
        live,
        isAnsweredFromCache: (customerId) =>
          cached !== undefined &&
          !cached.readThrough &&
          cached.cache.isFreshInMemory(cached.kinds.qualifications.name, cached.scope, customerId),
        forgetCustomer: async (customerId) => {
          // A qualification write leaves the company profile as it was.
          if (cached !== undefined) {
            await cached.cache.invalidate(cached.kinds.qualifications.name, customerId);
          }
          loaders.customer.clear(customerId);
          // Once the cache no longer holds the old answer: their read is Partner Center's.
          deps.onCustomerWritten?.(customerId);
        },
      },
      deps.logger,
      deadline,
      operation,
      inFlight,
    );
  };
}

type ContextFields = Omit<Context, 'logger' | 'logs' | 'dispose'>;

/**
 * A class, not an object literal, because Apollo Server copies the context's own properties for
 * every operation: the logger getter lives on the prototype, so that copy does not build a child
 * logger that most operations never use.
 */
class OperationContext implements Context {
  readonly authMode: Context['authMode'];
  readonly hasPartnerCenterCredentials: boolean;
  readonly api: PartnerCenterApi;
  readonly call: CallContext;
  readonly correlationId: string;
  readonly loaders: Loaders;
  readonly maxCustomerIds: number;
  readonly cachePolicy: Context['cachePolicy'];
  readonly stats: OperationStats;
  readonly span: Span;
  readonly cacheHint: Context['cacheHint'];
  readonly forgetCustomer: Context['forgetCustomer'];
  readonly isAnsweredFromCache: Context['isAnsweredFromCache'];
  readonly live: LiveAccess | undefined;
  private operationLogger: Logger | undefined;

  constructor(
    fields: ContextFields,
    private readonly baseLogger: Logger,
    private readonly deadline: NodeJS.Timeout,
    private readonly operation: AbortController,
    private readonly inFlight: OperationsInFlight | undefined,
  ) {
    this.authMode = fields.authMode;
    this.hasPartnerCenterCredentials = fields.hasPartnerCenterCredentials;
    this.api = fields.api;
    this.call = fields.call;
    this.correlationId = fields.correlationId;
    this.loaders = fields.loaders;
    this.maxCustomerIds = fields.maxCustomerIds;
    this.cachePolicy = fields.cachePolicy;
    this.stats = fields.stats;
    this.span = fields.span;
    this.cacheHint = fields.cacheHint;
    this.forgetCustomer = fields.forgetCustomer;
    this.isAnsweredFromCache = fields.isAnsweredFromCache;
    this.live = fields.live;
  }

  get logger(): Logger {
    this.operationLogger ??= this.baseLogger.child({ correlationId: this.correlationId });
    return this.operationLogger;
  }

  logs(level: LogLevel): boolean {
    return this.baseLogger.isLevelEnabled(level);
  }

  dispose(): void {
    clearTimeout(this.deadline);
    this.inFlight?.finished(this.operation);
    this.span.end();
  }
}

/**
 * The operation's way through the cache: its scope (the app identity's, or a hash of the whole
 * `Authorization` value the caller sent), narrowed by its locale; `no-cache` asks for a refresh.
 */
function cachedReads(
  cache: ContextCache | undefined,
  authorization: string | undefined,
  call: CallContext,
  headers: IncomingHttpHeaders,
  cacheHint: Context['cacheHint'],
): CachedReads | undefined {
  if (cache === undefined) return undefined;
  const scope =
    cache.appScope ?? (authorization === undefined ? undefined : userScope(authorization));
  if (scope === undefined) return undefined;
  return {
    cache: cache.readCache,
    kinds: { qualifications: cache.qualifications, profiles: cache.profiles },
    scope: withLocale(scope, call.forwardedHeaders['x-locale']),
    readThrough: NO_CACHE.test(single(headers['cache-control']) ?? ''),
    onRead: (read: CachedRead<unknown>) => {
      if (read.stale) cacheHint.noStore = true;
      // A cached entry has aged: whole seconds left, never more. One read just now is as fresh
      // as HTTP can say (its milliseconds in the gateway are the response's own age).
      const seconds = (read.freshUntil - Date.now()) / 1000;
      const left = Math.max(
        0,
        read.source === 'upstream' ? Math.round(seconds) : Math.floor(seconds),
      );
      cacheHint.maxAge = cacheHint.maxAge === undefined ? left : Math.min(cacheHint.maxAge, left);
    },
  };
}

export const MISSING_TOKEN_MESSAGE =
  'An Authorization header with a Partner Center bearer token is required.';

/**
 * App+User mode: the caller's own token, forwarded verbatim. Without one nothing is called: the
 * upstream budget refuses such operations before execution, and this stays as the last guard.
 */
function callerAuthorization(authorization: string | undefined): () => Promise<string> {
  if (authorization === undefined)
    return () => Promise.reject(unauthenticated(MISSING_TOKEN_MESSAGE));
  const value = Promise.resolve(authorization);
  return () => value;
}

function present(authorization: string | undefined): string | undefined {
  return authorization === undefined || authorization.trim() === '' ? undefined : authorization;
}

/** Client headers Partner Center understands; passed on only when well-formed. */
function forwarded(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  const locale = single(headers['x-locale']);
  if (locale !== undefined && LOCALE.test(locale)) result['x-locale'] = locale;
  const cv = single(headers['ms-cv']);
  if (cv !== undefined && CORRELATION_VECTOR.test(cv)) result['ms-cv'] = cv;
  return result;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

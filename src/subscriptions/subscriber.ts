import type { IncomingHttpHeaders } from 'node:http';
import type { AppTokenProvider } from '../credentials/app-token.js';
import type { InboundAuthenticator } from '../credentials/inbound-auth.js';
import { userScope } from '../cache/scope.js';
import type { ContextCache, LiveAccess } from '../graphql/context.js';
import type { PartnerCenterApi } from '../partner-center/client.js';
import type { WatchHub } from '../watch/watch-hub.js';
import { tokenExpiresAt } from './connection-credentials.js';
import { customerEvents } from './customer-events.js';
import { createWatchReader } from './watch-reader.js';

export interface SubscriberDeps {
  readonly api: PartnerCenterApi;
  readonly hub: WatchHub;
  readonly cache?: ContextCache | undefined;
  readonly inbound?: InboundAuthenticator | undefined;
  /** App mode: the gateway's own token, and the one scope every caller shares. */
  readonly app?: { readonly token: AppTokenProvider; readonly scope: string } | undefined;
  /** Only for the built-in simulator, as for HTTP. */
  readonly fallbackAuthorization?: string | undefined;
  /** `SUBSCRIPTION_MAX_IDS`. */
  readonly maxIds: number;
  /** Each read of the watch ends by then (`OPERATION_TIMEOUT_MS`). */
  readonly readTimeoutMs: number;
  readonly observer?: SubscriptionObserver | undefined;
  /** What token expiry is told by (`Date.now` otherwise). */
  readonly now?: (() => number) | undefined;
}

export interface SubscriptionObserver {
  readonly opened: () => void;
  readonly closed: () => void;
  /** One event handed to a subscriber. */
  readonly delivered: () => void;
}

/** A caller let in to subscribe, with what its subscriptions read with. */
export interface Subscriber {
  /** The headers its operations run with (`connection-credentials.ts`). */
  readonly headers: IncomingHttpHeaders;
  /** When its token runs out (epoch ms), if it says; the subscriptions end then. */
  readonly expiresAt: number | undefined;
  /** How long until then, by the subscriber's clock; undefined if the token does not say. */
  msLeft(): number | undefined;
  /** One subscription's access to the watch; `onRefused` ends it when Partner Center refuses the token. */
  live(onRefused: () => void): LiveAccess;
}

/**
 * The same rules as an HTTP operation: the caller itself checked (router secret, caller JWT),
 * then Partner Center credentials: the caller's token (user mode) or the gateway's (app mode).
 * Undefined: refused, and nothing reaches Partner Center.
 */
export async function admitSubscriber(
  deps: SubscriberDeps,
  headers: IncomingHttpHeaders,
): Promise<Subscriber | undefined> {
  const admitted = await admittedBy(deps.inbound, headers);
  if (admitted === undefined) return undefined;
  let scope: string;
  let authorize: () => Promise<string>;
  let expiresAt: number | undefined;
  const now = deps.now ?? Date.now;
  if (deps.app !== undefined) {
    const { token } = deps.app;
    scope = deps.app.scope;
    authorize = () => token.authorization();
    // An HTTP operation with that JWT would be refused once it has run out: so is the socket.
    if (admitted === 'caller-jwt') {
      expiresAt = tokenExpiresAt(headers.authorization);
      if (expiresAt !== undefined && expiresAt <= now()) return undefined;
    }
  } else {
    const value = headers.authorization ?? deps.fallbackAuthorization;
    if (value === undefined || value.trim() === '') return undefined;
    expiresAt = tokenExpiresAt(value);
    if (expiresAt !== undefined && expiresAt <= now()) return undefined;
    scope = userScope(value);
    const authorization = Promise.resolve(value);
    authorize = () => authorization;
  }
  const reader = createWatchReader({
    api: deps.api,
    cache: deps.cache,
    scope,
    authorize,
    callerCredentials: deps.app === undefined,
    timeoutMs: deps.readTimeoutMs,
    forwardedHeaders: {},
  });
  const { observer } = deps;
  return {
    headers,
    expiresAt,
    msLeft: () => (expiresAt === undefined ? undefined : expiresAt - now()),
    live: (onRefused) => ({
      maxIds: deps.maxIds,
      customers: (ids) => {
        observer?.opened();
        return customerEvents({
          hub: deps.hub,
          scope,
          reader,
          ids,
          onRefused,
          onEvent: observer?.delivered,
          onEnd: observer?.closed,
        });
      },
    }),
  };
}

/**
 * What let the caller in: the router's secret (which never runs out), a caller JWT (which
 * does), or no check configured. Undefined: refused.
 */
async function admittedBy(
  inbound: InboundAuthenticator | undefined,
  headers: IncomingHttpHeaders,
): Promise<'router-secret' | 'caller-jwt' | 'unchecked' | undefined> {
  if (inbound === undefined) return 'unchecked';
  const secret = headers['router-authorization'];
  if (secret !== undefined && (await passes(inbound, { 'router-authorization': secret }))) {
    return 'router-secret';
  }
  return (await passes(inbound, headers)) ? 'caller-jwt' : undefined;
}

async function passes(inbound: InboundAuthenticator, headers: IncomingHttpHeaders) {
  try {
    await inbound.authenticate(headers);
    return true;
  } catch {
    return false;
  }
}

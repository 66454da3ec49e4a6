import type { IncomingHttpHeaders } from 'node:http';
import { decodeJwt } from 'jose';

/**
 * The headers a subscription's operations run with, as an HTTP request would carry them. A
 * browser cannot set headers on a WebSocket and Apollo Router sends a propagated `Authorization`
 * as `{"token": …}`, so `connection_init`'s payload may carry them instead: `Authorization`,
 * `authorization` or `token` for the caller's token (in that order), `Router-Authorization` or
 * `router-authorization` for the router's secret, each the whole header value. A header on the
 * upgrade request comes first.
 */
export function connectionHeaders(
  upgrade: IncomingHttpHeaders,
  params: Readonly<Record<string, unknown>> | undefined,
): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  const authorization =
    text(upgrade.authorization) ??
    text(params?.['Authorization']) ??
    text(params?.['authorization']) ??
    text(params?.['token']);
  if (authorization !== undefined) headers.authorization = authorization;
  const router =
    text(upgrade['router-authorization']) ??
    text(params?.['Router-Authorization']) ??
    text(params?.['router-authorization']);
  if (router !== undefined) headers['router-authorization'] = router;
  for (const name of ['x-locale', 'ms-cv', 'ms-correlationid', 'traceparent', 'tracestate']) {
    const value = text(upgrade[name]);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

/**
 * When a bearer token stops being valid (epoch ms), if it is a JWT that says so. Read, not
 * verified: Partner Center verifies it; this only ends a connection whose token has run out,
 * so its client comes back with a new one.
 */
export function tokenExpiresAt(authorization: string | undefined): number | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return undefined;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  const single: unknown = Array.isArray(value) ? value[0] : value;
  return typeof single === 'string' && single.trim() !== '' ? single : undefined;
}

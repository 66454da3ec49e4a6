import fastifyCors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Every header a frontend sends, one by one: a `*` would not cover `authorization`. Apollo
 * Client's `clientAwareness` sends the `apollographql-client-*` pair; a refresh button sends
 * `cache-control: no-cache` (and some fetch wrappers `pragma` with it). A multipart
 * subscription's `Accept: multipart/mixed;subscriptionSpec="1.0"` is not CORS-safelisted (the
 * `"`), so `accept` must be allowed too.
 */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'accept',
  'content-type',
  'ms-correlationid',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'cache-control',
  'pragma',
  'x-locale',
  'ms-cv',
  'x-upstream-cost',
] as const;

/** What a frontend reads besides the CORS-safelisted headers: backing off needs `retry-after`. */
export const CORS_EXPOSED_HEADERS = ['ms-correlationid', 'retry-after'] as const;

/** Names, in a refused preflight, why and what would allow it (devtools shows the headers). */
export const CORS_REFUSAL_HEADER = 'x-cors-refused';

/**
 * Browsers on other origins only where `CORS_ORIGINS` allows them. Every other preflight is
 * answered 403 with no `Access-Control-Allow-*` header, saying why: the browser fails the
 * preflight either way, and a 403 naming `CORS_ORIGINS` shows in devtools where a silent 204 or
 * 404 would leave the developer guessing. Other requests are untouched: same-origin ones (the
 * gateway's Sandbox and GraphiQL pages) need no CORS, and an OPTIONS that is not a preflight
 * goes on to routing as before.
 */
export async function registerCors(
  app: FastifyInstance,
  corsOrigins: readonly string[],
): Promise<void> {
  const allowed = new Set(corsOrigins);
  if (allowed.size > 0) {
    await app.register(fastifyCors, {
      // A function, not the list: the plugin would give an origin not on the list every
      // preflight header but the allowed origin; this way it gives it none.
      origin: (origin, callback) => {
        callback(null, origin !== undefined && allowed.has(origin) ? origin : false);
      },
      methods: ['GET', 'POST'],
      allowedHeaders: [...CORS_ALLOWED_HEADERS],
      exposedHeaders: [...CORS_EXPOSED_HEADERS],
      maxAge: 600,
    });
  }
  // After the plugin's hook, which answers the allowed origins' preflights itself.
  app.addHook('onRequest', (request, reply, done) => {
    const origin = preflightOrigin(request);
    if (origin === undefined) {
      done();
      return;
    }
    const reason =
      allowed.size === 0
        ? 'Cross-origin calls are off: set CORS_ORIGINS to the browser origins allowed to call (comma-separated).'
        : 'The calling origin is not in CORS_ORIGINS, the browser origins allowed to call.';
    void reply.code(403).header(CORS_REFUSAL_HEADER, reason).type('text/plain').send(reason);
  });
}

/** The origin of a CORS preflight (Origin and Access-Control-Request-Method); else undefined. */
function preflightOrigin(request: FastifyRequest): string | undefined {
  const { origin } = request.headers;
  return request.method === 'OPTIONS' &&
    typeof origin === 'string' &&
    request.headers['access-control-request-method'] !== undefined
    ? origin
    : undefined;
}

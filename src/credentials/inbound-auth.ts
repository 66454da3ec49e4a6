import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, customFetch, jwtVerify } from 'jose';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import type { InboundAuth } from '../config.js';
import { unauthenticated } from '../graphql/errors.js';
import type { Logger } from '../observability/logger.js';

export interface InboundAuthenticator {
  /** Resolves when the caller passes any configured check; rejects with UNAUTHENTICATED (401). */
  authenticate(headers: IncomingHttpHeaders): Promise<void>;
}

/** Asymmetric algorithms only: a JWKS holds public keys, and `none` or HMAC must never pass. */
const ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/**
 * Who may call the gateway. A router secret (`Router-Authorization`) lets only the router in; a
 * caller JWT (`Authorization: Bearer`) checked against a JWKS (signature, expiry, issuer,
 * audience) lets in whoever the identity provider vouches for. With both, either suffices.
 */
export function createInboundAuthenticator(
  config: InboundAuth,
  deps: { readonly dispatcher?: Dispatcher | undefined; readonly logger: Logger },
): InboundAuthenticator | undefined {
  const { routerSecret, jwt } = config;
  if (routerSecret === undefined && jwt === undefined) return undefined;
  const secretDigest = routerSecret === undefined ? undefined : digest(routerSecret);
  const jwks =
    jwt === undefined
      ? undefined
      : createRemoteJWKSet(jwt.jwksUrl, {
          // jose fetches the keys (and caches and re-fetches them on rotation) through our undici.
          [customFetch]: (url, options) => {
            // undici's Response is what Node's own fetch returns; only its declarations differ.
            // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
            return undiciFetch(url, {
              method: options.method,
              redirect: options.redirect,
              signal: options.signal,
              headers: Object.fromEntries(options.headers),
              ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
            });
          },
        });

  return {
    async authenticate(headers) {
      const presented = single(headers['router-authorization']);
      if (secretDigest !== undefined && presented !== undefined) {
        // Compare digests: equal length, constant time, whatever the caller sent.
        if (timingSafeEqual(digest(presented), secretDigest)) return;
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(single(headers.authorization) ?? '')?.[1];
      if (jwks !== undefined && jwt !== undefined && bearer !== undefined) {
        try {
          await jwtVerify(bearer, jwks, {
            issuer: jwt.issuer,
            audience: jwt.audience,
            algorithms: ALGORITHMS,
          });
          return;
        } catch (error) {
          deps.logger.info(
            { reason: error instanceof Error ? error.name : 'unknown' },
            'caller token refused',
          );
        }
      }
      throw unauthenticated('This gateway needs valid credentials of its own callers.');
    },
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

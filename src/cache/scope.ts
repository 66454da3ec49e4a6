import { createHash } from 'node:crypto';

/**
 * Whose view of Partner Center an answer is. Partner Center answers by the credentials it is
 * sent, so that is what the scope names, and it names them only by a SHA-256: the gateway has
 * not verified a caller's token, so nothing read from inside one (a tenant, a user id) can be
 * trusted, and the token itself never reaches a key.
 */
export function userScope(authorization: string): string {
  return `u.${sha256(authorization)}`;
}

/** App mode: every caller reads with the gateway's own identity, so they share one view. */
export function appScope(tenantId: string, clientId: string): string {
  return `a.${sha256(`${tenantId.toLowerCase()}\n${clientId.toLowerCase()}`)}`;
}

/**
 * A scope narrowed by the answer's language: Partner Center may word `vettingReason` by the
 * caller's `X-Locale`, so a reader in one language must not get another's text.
 */
export function withLocale(scope: string, locale: string | undefined): string {
  return locale === undefined ? scope : `${scope}.${locale.toLowerCase()}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

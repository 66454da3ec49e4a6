/**
 * What a continuation token may contain to travel as the `MS-ContinuationToken` header: visible
 * ASCII, inner spaces allowed, no CR/LF or other control characters (so it cannot add a header),
 * and a bounded length. Partner Center's tokens are opaque; this is only what HTTP allows safely.
 */
const HEADER_SAFE = /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/;
export const MAX_CONTINUATION_TOKEN_LENGTH = 4096;

export function isContinuationToken(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_CONTINUATION_TOKEN_LENGTH &&
    HEADER_SAFE.test(value)
  );
}

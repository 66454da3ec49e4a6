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

const CONTINUATION_HEADER = 'ms-continuationtoken';

/**
 * The next page's token in a collection's `links` (`links.next.headers`, the
 * `MS-ContinuationToken` entry): `null` on the last page, `undefined` when there is a next link
 * but no usable token in it (the caller could not page on).
 */
export function nextContinuationToken(links: unknown): string | null | undefined {
  const next = isRecord(links) ? links['next'] : undefined;
  if (next === undefined || next === null) return null;
  const headers = isRecord(next) ? next['headers'] : undefined;
  const token = Array.isArray(headers)
    ? (headers as unknown[]).find(
        (header): header is Record<string, unknown> =>
          isRecord(header) &&
          typeof header['key'] === 'string' &&
          header['key'].toLowerCase() === CONTINUATION_HEADER,
      )?.['value']
    : undefined;
  return isContinuationToken(token) ? token : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A customer tenant id is a GUID; anything else (path segments, encodings, braces, spaces) is
 * refused so that it can never shape the upstream URL. Lower-casing makes `ABC…` and `abc…` one
 * DataLoader key, hence one upstream call.
 */
export function normaliseCustomerId(raw: unknown): string | undefined {
  // Federation representations arrive as untyped JSON: an array or number must not pass as text.
  return typeof raw === 'string' && GUID.test(raw) ? raw.toLowerCase() : undefined;
}

export function isGuid(raw: string): boolean {
  return GUID.test(raw);
}

/**
 * One kind of upstream read the cache holds (a customer's qualifications today, its profile
 * later): how long an answer stays fresh, and how to check one read back from Redis, where
 * anything could have been written.
 */
export interface CacheKind<T> {
  /** Part of every key; lower-case letters only. */
  readonly name: string;
  /** Seconds an answer stays fresh; may depend on the answer (vetting in review is polled). */
  maxAgeSeconds(value: T): number;
  /** The value as stored, or `undefined` when it does not have the kind's shape. */
  decode(json: unknown): T | undefined;
}

/** One answer as the cache keeps it; times are epoch milliseconds. */
export interface CacheEntry<T> {
  readonly value: T;
  /** When Partner Center gave this answer. */
  readonly readAt: number;
  readonly freshUntil: number;
  /** Until when it may stand in for a failed read (stale if error). */
  readonly staleUntil: number;
  /** The customer's write generation when the read began (Redis only; 0 in memory). */
  readonly generation: number;
}

export function encodeEntry<T>(entry: CacheEntry<T>): string {
  return JSON.stringify({
    v: entry.value,
    r: entry.readAt,
    f: entry.freshUntil,
    s: entry.staleUntil,
    g: entry.generation,
  });
}

/** A stored entry, or `undefined` for anything that is not one of this kind. */
export function decodeEntry<T>(kind: CacheKind<T>, text: string): CacheEntry<T> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null) return undefined;
  const fields = json as Record<string, unknown>;
  const [readAt, freshUntil, staleUntil, generation] = ['r', 'f', 's', 'g'].map((name) =>
    Number.isSafeInteger(fields[name]) ? (fields[name] as number) : undefined,
  );
  if (
    readAt === undefined ||
    freshUntil === undefined ||
    staleUntil === undefined ||
    generation === undefined
  ) {
    return undefined;
  }
  const value = kind.decode(fields['v']);
  if (value === undefined) return undefined;
  return { value, readAt, freshUntil, staleUntil, generation };
}

import { createHash } from 'node:crypto';
import { badUserInput } from '../graphql/errors.js';
import { isContinuationToken } from '../partner-center/continuation-token.js';
import type { DirectorySearch } from './search.js';

/**
 * Where a directory page starts: the Partner Center page read with `token` (`null`: the first
 * page), from its item `offset` on. Every edge's cursor is such a position, so reading on after
 * an edge inside a page re-reads that page with the token that produced it and skips to it.
 */
export interface DirectoryPosition {
  readonly token: string | null;
  readonly offset: number;
}

const VERSION = 1;
const MAX_CURSOR_LENGTH = 8192;
const MAX_OFFSET = 10_000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * A short hash of the page size and search a cursor belongs to. Not a secret: it only ties the
 * cursor to its search, and any replica computes the same one, so no shared state is needed.
 * Forging a cursor gains nothing but sending Partner Center a token it refuses.
 */
export function bindingOf(search: DirectorySearch): string {
  const key = JSON.stringify([
    search.size,
    search.filter?.field ?? null,
    search.filter?.value ?? null,
  ]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

/** base64url of `{"v":1,"b":binding,"t":token|null,"o":offset}`: opaque to clients. */
export function encodeCursor(binding: string, position: DirectoryPosition): string {
  const json = JSON.stringify({ v: VERSION, b: binding, t: position.token, o: position.offset });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * The position a client's `after` names, for the search it is used with. A cursor not in the
 * gateway's form, of another search or size, or with a token that could not travel as a header
 * is BAD_USER_INPUT, and nothing is sent.
 */
export function decodeCursor(cursor: string, binding: string): DirectoryPosition {
  const payload = parsePayload(cursor);
  if (payload === undefined) {
    throw badUserInput('after is not a cursor of this directory.', { argumentName: 'after' });
  }
  if (payload['b'] !== binding) {
    throw badUserInput(
      'after is a cursor of another search or page size; use it with the same search and first, or start again without it.',
      { argumentName: 'after' },
    );
  }
  return { token: payload['t'] as string | null, offset: payload['o'] as number };
}

function parsePayload(cursor: string): Record<string, unknown> | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const payload = value as Record<string, unknown>;
  const { v, b, t, o } = payload;
  const offsetOk = Number.isSafeInteger(o) && (o as number) >= 0 && (o as number) <= MAX_OFFSET;
  const tokenOk = t === null || isContinuationToken(t);
  return v === VERSION && typeof b === 'string' && offsetOk && tokenOk ? payload : undefined;
}

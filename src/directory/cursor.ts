import { createHash } from 'node:crypto';
import { badUserInput } from '../graphql/errors.js';
import { isContinuationToken } from '../partner-center/continuation-token.js';
import type { CustomerFilter } from '../partner-center/types.js';
import { isPageSize, MAX_PAGE_SIZE } from './search.js';

/**
 * Where a directory page starts: the Partner Center page read with `token` (`null`: the first
 * page) at `size`, from its item `offset` on. Every edge's cursor is such a position, so reading
 * on after any edge, with any `first`, re-reads that Partner Center page and skips to it.
 * `size` is the one the token was made with: a continuation token is treated as bound to the
 * `size` of the request that returned it, so the pages after it are asked with that size too.
 */
export interface DirectoryPosition {
  readonly token: string | null;
  readonly size: number;
  readonly offset: number;
}

const VERSION = 2;
/** Version 1 bound the cursor to `first` as well, and its pages were read at `size=first`. */
const VERSION_1 = 1;
const MAX_CURSOR_LENGTH = 8192;
const MAX_OFFSET = 10_000;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const hash = (key: unknown[]) =>
  createHash('sha256').update(JSON.stringify(key)).digest('base64url').slice(0, 16);

/**
 * A short hash of the search a cursor belongs to (not of `first`: a cursor reads on with any page
 * size). Not a secret: it only ties the cursor to its search, and any replica computes the same
 * one, so no shared state is needed. Forging a cursor gains nothing but sending Partner Center a
 * token it refuses.
 */
export function bindingOf(filter: CustomerFilter | undefined): string {
  return hash(['search', filter?.field ?? null, filter?.value ?? null]);
}

/** Version 1's binding: the page size, then the search. */
export function version1BindingOf(size: number, filter: CustomerFilter | undefined): string {
  return hash([size, filter?.field ?? null, filter?.value ?? null]);
}

/** base64url of `{"v":2,"b":binding,"t":token|null,"s":size,"o":offset}`: opaque to clients. */
export function encodeCursor(binding: string, position: DirectoryPosition): string {
  const { token, size, offset } = position;
  const json = JSON.stringify({ v: VERSION, b: binding, t: token, s: size, o: offset });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * The position a client's `after` names, for the search it is used with. A cursor not in the
 * gateway's form, of another search, or with a token that could not travel as a header is
 * BAD_USER_INPUT, and nothing is sent. Cursors of version 1 (made before `first` could change)
 * still read on: their page size is the one whose binding they carry.
 */
export function decodeCursor(
  cursor: string,
  filter: CustomerFilter | undefined,
): DirectoryPosition {
  const payload = parsePayload(cursor);
  if (payload === undefined) {
    throw badUserInput('after is not a cursor of this directory.', { argumentName: 'after' });
  }
  const size = payload.v === VERSION_1 ? version1Size(payload.b, filter) : payload.s;
  if (size === undefined || (payload.v === VERSION && payload.b !== bindingOf(filter))) {
    throw badUserInput(
      'after is a cursor of another search; use it with the same search, or start again without it.',
      { argumentName: 'after' },
    );
  }
  return { token: payload.t, size, offset: payload.o };
}

/** The page size a version 1 binding was made with, for this search; `undefined`: none. */
function version1Size(binding: string, filter: CustomerFilter | undefined): number | undefined {
  for (let size = 1; size <= MAX_PAGE_SIZE; size += 1) {
    if (version1BindingOf(size, filter) === binding) return size;
  }
  return undefined;
}

interface Payload {
  readonly v: number;
  readonly b: string;
  readonly t: string | null;
  readonly s: number;
  readonly o: number;
}

function parsePayload(cursor: string): Payload | undefined {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { v, b, t, s, o } = value as Record<string, unknown>;
  const versionOk = (v === VERSION && isPageSize(s)) || (v === VERSION_1 && s === undefined);
  const offsetOk = Number.isSafeInteger(o) && (o as number) >= 0 && (o as number) <= MAX_OFFSET;
  const tokenOk = t === null || isContinuationToken(t);
  if (!versionOk || typeof b !== 'string' || !offsetOk || !tokenOk) return undefined;
  return { v, b, t, s: s as number, o: o as number };
}

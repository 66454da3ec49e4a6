import { badUserInput, fromUpstream } from '../graphql/errors.js';
import type { PartnerCenterApi } from '../partner-center/client.js';
import type {
  CallContext,
  CustomerFilter,
  CustomerProfileRecord,
} from '../partner-center/types.js';
import { bindingOf, decodeCursor, encodeCursor, type DirectoryPosition } from './cursor.js';
import {
  directorySearch,
  MAX_PAGE_SIZE,
  type DirectoryArgs,
  type DirectorySearch,
} from './search.js';

/** A `CustomerEdge`: the listed customer (its profile, from the list answer) and its cursor. */
export interface DirectoryEdge {
  readonly cursor: string;
  readonly customer: CustomerProfileRecord;
}

/** A `CustomerConnection`, shaped from one or two Partner Center list answers. */
export interface DirectoryPage {
  readonly edges: readonly DirectoryEdge[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: number | null;
}

/**
 * The `size` a new walk asks Partner Center for, whatever `first` is: the largest `first`, so
 * that a page of any `first` after any cursor spans at most two Partner Center pages.
 */
export const UPSTREAM_PAGE_SIZE = MAX_PAGE_SIZE;
/** A page never makes more list calls than this (the budget counts `listCallsFrom`). */
const MAX_LIST_CALLS = 2;

/**
 * The list calls a page of `first` from `start` makes: the Partner Center pages its items span,
 * at most two. A page of a version 1 cursor (whose size may be smaller than `first`) that would
 * span more is answered shorter, with `hasNextPage`.
 */
export function listCallsFrom(start: DirectoryPosition, first: number): number {
  return Math.min(MAX_LIST_CALLS, Math.max(1, Math.ceil((start.offset + first) / start.size)));
}

/**
 * The list calls the page these arguments ask for would make, before anything runs (the
 * per-operation budget). Arguments the page refuses before any call count one, as a page did.
 */
export function directoryListCalls(args: DirectoryArgs): number {
  try {
    const search = directorySearch(args);
    return listCallsFrom(startOf(args, search.filter), search.size);
  } catch {
    return 1;
  }
}

function startOf(args: DirectoryArgs, filter: CustomerFilter | undefined): DirectoryPosition {
  return args.after === null || args.after === undefined
    ? { token: null, size: UPSTREAM_PAGE_SIZE, offset: 0 }
    : decodeCursor(args.after, filter);
}

/**
 * One directory page of `first` customers from the position `after` names (the start without
 * it): the Partner Center page that position is in, re-read with the token and size that
 * produced it and skipped into, then the next one if the page is not full yet. Every edge's
 * cursor is the position right after it, so a client may read on after any edge with any
 * `first`.
 */
export async function readDirectoryPage(
  api: PartnerCenterApi,
  call: CallContext,
  args: DirectoryArgs,
): Promise<DirectoryPage> {
  const search = directorySearch(args);
  const binding = bindingOf(search.filter);
  const start = startOf(args, search.filter);
  const calls = listCallsFrom(start, search.size);
  const edges: DirectoryEdge[] = [];
  let totalCount: number | null | undefined;
  let position = start;
  // Where the next page starts, once this one is read: `null` when nothing follows.
  let next: DirectoryPosition | null = null;
  for (let made = 0; made < calls; made += 1) {
    const { items, nextToken, totalCount: count } = await listPage(api, call, search, position);
    totalCount ??= count;
    const { token, size } = position;
    // The position right after item `index` (0-based) of this Partner Center page.
    const after = (index: number): DirectoryPosition =>
      index + 1 >= items.length && nextToken !== null
        ? { token: nextToken, size, offset: 0 }
        : { token, size, offset: index + 1 };
    const taken = items.slice(position.offset, position.offset + search.size - edges.length);
    taken.forEach((customer, n) => {
      edges.push({ cursor: encodeCursor(binding, after(position.offset + n)), customer });
    });
    const index = position.offset + taken.length;
    next =
      index < items.length
        ? { token, size, offset: index }
        : nextToken === null
          ? null
          : { token: nextToken, size, offset: 0 };
    if (next === null || edges.length === search.size) break;
    position = next;
  }
  const endCursor = edges.at(-1)?.cursor ?? (next === null ? null : encodeCursor(binding, next));
  return {
    edges,
    pageInfo: { hasNextPage: next !== null, endCursor },
    totalCount: totalCount ?? null,
  };
}

async function listPage(
  api: PartnerCenterApi,
  call: CallContext,
  search: DirectorySearch,
  position: DirectoryPosition,
) {
  const result = await api
    .listCustomers(
      position.token === null
        ? { size: position.size, filter: search.filter }
        : { size: position.size, continuationToken: position.token },
      call,
    )
    .catch((error: unknown) => {
      throw fromUpstream(error);
    });
  if (result.kind === 'token-refused') {
    throw badUserInput(
      'Partner Center does not accept this cursor (any more); start again without after.',
      { argumentName: 'after', upstreamStatus: result.status },
    );
  }
  return result.page;
}

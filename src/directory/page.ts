import { badUserInput, fromUpstream } from '../graphql/errors.js';
import type { PartnerCenterApi } from '../partner-center/client.js';
import type { CallContext, CustomerProfileRecord } from '../partner-center/types.js';
import { bindingOf, decodeCursor, encodeCursor, type DirectoryPosition } from './cursor.js';
import { directorySearch, type DirectoryArgs } from './search.js';

/** A `CustomerEdge`: the listed customer (its profile, from the list answer) and its cursor. */
export interface DirectoryEdge {
  readonly cursor: string;
  readonly customer: CustomerProfileRecord;
}

/** A `CustomerConnection`, shaped from one Partner Center list answer. */
export interface DirectoryPage {
  readonly edges: readonly DirectoryEdge[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: number | null;
}

/**
 * One directory page: exactly one `GET /v1/customers` call. After a cursor from inside a page it
 * answers the rest of that Partner Center page (re-read with the token that produced it), so a
 * page may be shorter than `first`; `hasNextPage` still tells whether more follow.
 */
export async function readDirectoryPage(
  api: PartnerCenterApi,
  call: CallContext,
  args: DirectoryArgs,
): Promise<DirectoryPage> {
  const search = directorySearch(args);
  const binding = bindingOf(search);
  const start: DirectoryPosition =
    args.after === null || args.after === undefined
      ? { token: null, offset: 0 }
      : decodeCursor(args.after, binding);
  const result = await api
    .listCustomers(
      start.token === null
        ? { size: search.size, filter: search.filter }
        : { size: search.size, continuationToken: start.token },
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
  const { items, nextToken, totalCount } = result.page;
  // The position right after item `index` (0-based) of this Partner Center page.
  const after = (index: number): DirectoryPosition =>
    index + 1 >= items.length && nextToken !== null
      ? { token: nextToken, offset: 0 }
      : { token: start.token, offset: index + 1 };
  const edges = items.slice(start.offset).map((customer, n) => ({
    cursor: encodeCursor(binding, after(start.offset + n)),
    customer,
  }));
  const endCursor =
    edges.at(-1)?.cursor ??
    (nextToken === null ? null : encodeCursor(binding, { token: nextToken, offset: 0 }));
  return { edges, pageInfo: { hasNextPage: nextToken !== null, endCursor }, totalCount };
}

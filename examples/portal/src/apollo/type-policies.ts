import { InMemoryCache, type TypePolicies } from '@apollo/client/core/index.js';
import { relayStylePagination } from '@apollo/client/utilities/index.js';

/**
 * The cache rules a frontend of this gateway needs. Copy them as they are:
 * - `Customer` is one entity per tenant id, so a directory row, the customer page, a mutation's
 *   payload and every subscription event update the same object.
 * - The gateway answers ids in lower case, while a link or a user may carry them in upper case:
 *   `Query.customer` reads the normalised entity, so `customer(id: "UPPER…")` is a cache hit.
 * - The directory is one growing list per search (`relayStylePagination`): `fetchMore` with the
 *   `endCursor` appends, and changing the search starts another list.
 */
export const typePolicies: TypePolicies = {
  Customer: { keyFields: ['id'] },
  Query: {
    fields: {
      customerDirectory: relayStylePagination(['companyNameStartsWith', 'domainStartsWith']),
      customer: {
        read(existing: unknown, { args, toReference, canRead }) {
          // What this very query stored wins, also a `null` for a customer Partner Center
          // does not know; otherwise the entity another query brought, if it is there.
          if (existing !== undefined) return existing;
          const id: unknown = args?.['id'];
          if (typeof id !== 'string') return undefined;
          const reference = toReference({ __typename: 'Customer', id: id.toLowerCase() });
          return canRead(reference) ? reference : undefined;
        },
      },
    },
  },
};

export function createPortalCache(): InMemoryCache {
  return new InMemoryCache({ typePolicies });
}

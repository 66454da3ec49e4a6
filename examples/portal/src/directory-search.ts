import { ApolloClient, HttpLink } from '@apollo/client/core/index.js';
import { DirectoryPage } from './operations.js';
import { resultErrors } from './apollo/result-errors.js';
import { createPortalCache } from './apollo/type-policies.js';

/**
 * Every customer whose name starts with `name`, read as the portal's infinite scroll reads
 * them (the same query, `typePolicies` and `fetchMore`), without a browser: one line each, with
 * its Education status, or why that is unknown.
 */
export async function searchDirectory(
  gatewayUrl: string,
  token: string,
  name: string,
  first = 50,
): Promise<string[]> {
  const client = new ApolloClient({
    link: new HttpLink({ uri: gatewayUrl, headers: { authorization: `Bearer ${token}` } }),
    cache: createPortalCache(),
  });
  try {
    const variables = { first, companyNameStartsWith: name };
    // The first page fills the cache; the watch then pages on from it as the scroll does.
    let page = await client.query({ query: DirectoryPage, variables, errorPolicy: 'all' });
    const query = client.watchQuery({
      query: DirectoryPage,
      variables,
      errorPolicy: 'all',
      fetchPolicy: 'cache-only',
    });
    const errors = new Map<string, string>();
    const keep = (found: readonly { message: string; extensions?: Record<string, unknown> }[]) => {
      for (const error of found) {
        const customerId = error.extensions?.['customerId'];
        // An error of no one customer (the list call failed) leaves nothing to show.
        if (typeof customerId !== 'string') throw new Error(error.message);
        errors.set(customerId, error.message);
      }
    };
    keep(resultErrors(page));
    while (page.data.customerDirectory.pageInfo.hasNextPage) {
      const after = page.data.customerDirectory.pageInfo.endCursor ?? null;
      page = await query.fetchMore({ variables: { after } });
      keep(resultErrors(page));
    }
    // relayStylePagination has merged every page into one list under these variables.
    const merged = client.readQuery({ query: DirectoryPage, variables });
    return (merged?.customerDirectory.edges ?? []).flatMap(({ node }) => {
      if (node === null || node === undefined) return [];
      const label = node.companyName ?? node.id;
      if (node.isEducation === null || node.isEducation === undefined) {
        return [`${label} — qualifications unknown: ${errors.get(node.id) ?? 'not read'}`];
      }
      return [`${label}${node.isEducation ? ' — Education' : ''}`];
    });
  } finally {
    client.stop();
  }
}

/** The smallest operations per entry point, shared so that error locations read the same everywhere. */

export const CUSTOMER_ID = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      id
    }
  }
`;

export const CUSTOMERS_IDS = /* GraphQL */ `
  query ($ids: [ID!]!) {
    customers(ids: $ids) {
      id
    }
  }
`;

export const ENTITIES_IDS = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Customer {
        id
      }
    }
  }
`;

/** A directory page with every connection and profile field, for any search. */
export const DIRECTORY_PAGE = /* GraphQL */ `
  query ($first: Int, $after: String, $name: String, $domain: String) {
    customerDirectory(
      first: $first
      after: $after
      companyNameStartsWith: $name
      domainStartsWith: $domain
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          companyName
          domain
          relationshipToPartner
        }
      }
    }
  }
`;

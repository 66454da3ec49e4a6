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

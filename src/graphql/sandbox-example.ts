import { SAMPLE_CUSTOMER_IDS } from '../simulator/data.js';

/**
 * What Sandbox (and GraphiQL) open with: the customer directory first, so a newcomer sees
 * customers without knowing an id, then one customer with every field on a sample shape.
 */
export const EXAMPLE_OPERATION = /* GraphQL */ `
  query CustomerDirectory($first: Int, $after: String, $name: String, $id: ID!) {
    customerDirectory(first: $first, after: $after, companyNameStartsWith: $name) {
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
          isEducation: isQualifiedFor(qualification: EDUCATION)
        }
      }
    }
    customer(id: $id) {
      id
      companyName
      qualifications {
        qualification
        rawQualification
        vettingStatus
        rawVettingStatus
        vettingReason
        vettingCreatedDate
      }
    }
  }
`;

export const EXAMPLE_VARIABLES = {
  first: 10,
  after: null,
  name: null,
  id: SAMPLE_CUSTOMER_IDS.educationDenied,
};

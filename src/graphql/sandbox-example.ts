import { SAMPLE_CUSTOMER_IDS } from '../simulator/data.js';

/**
 * What Sandbox (and GraphiQL) open with: the customer directory first, so a newcomer sees
 * customers without knowing an id, then one customer with every field on a sample shape, then the
 * live vetting subscription on the simulator's customer that is in review, whose decision the
 * simulator makes `SIMULATOR_VETTING_SECONDS` after start: the second event arrives while one
 * watches.
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

  subscription WatchVetting($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      companyName
      qualificationsReadAt
      qualifications {
        qualification
        vettingStatus
        vettingReason
        vettingCreatedDate
      }
    }
  }
`;

/** One set for both operations: each takes the variables it declares and ignores the others. */
export const EXAMPLE_VARIABLES = {
  first: 10,
  after: null,
  name: null,
  id: SAMPLE_CUSTOMER_IDS.educationDenied,
  ids: [SAMPLE_CUSTOMER_IDS.educationInReview],
};

import { SAMPLE_CUSTOMER_IDS } from '../simulator/data.js';

/** What Sandbox opens with: one query that shows every field on the simulator's sample shapes. */
export const EXAMPLE_OPERATION = /* GraphQL */ `
  query CustomerQualifications($id: ID!, $ids: [ID!]!) {
    customer(id: $id) {
      id
      isEducation: isQualifiedFor(qualification: EDUCATION)
      qualifications {
        qualification
        vettingStatus
        vettingReason
        vettingCreatedDate
      }
    }
    customers(ids: $ids) {
      id
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
  id: SAMPLE_CUSTOMER_IDS.educationApproved,
  ids: Object.values(SAMPLE_CUSTOMER_IDS),
};

import { graphql } from './gql/index.js';

/** What the customer page shows of a customer's qualifications; the live updates select the same. */
export const CustomerQualificationsFields = graphql(`
  fragment CustomerQualificationsFields on Customer {
    id
    qualificationsReadAt
    qualificationsStale
    qualifications {
      qualification
      rawQualification
      vettingStatus
      rawVettingStatus
      vettingReason
      vettingCreatedDate
    }
  }
`);

/** The directory's first screen and every page after it (`fetchMore` with `after`). */
export const DirectoryPage = graphql(`
  query DirectoryPage($first: Int!, $after: String, $companyNameStartsWith: String) {
    customerDirectory(first: $first, after: $after, companyNameStartsWith: $companyNameStartsWith) {
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
          isEducation: isQualifiedFor(qualification: EDUCATION)
        }
      }
    }
  }
`);

/** The customer page. */
export const CustomerPage = graphql(`
  query CustomerPage($id: ID!) {
    customer(id: $id) {
      id
      companyName
      domain
      relationshipToPartner
      ...CustomerQualificationsFields
    }
  }
`);

/** Vetting as it changes: each event is the customer entity, merged into the cache by id. */
export const CustomerVetting = graphql(`
  subscription CustomerVetting($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      ...CustomerQualificationsFields
    }
  }
`);

/** The GCC code picker of the add-qualification form. */
export const GccValidationCodes = graphql(`
  query GccValidationCodes {
    gccValidationCodes {
      validationCode
      organizationName
      remainingCreates
      isUsable
    }
  }
`);

export const AddQualification = graphql(`
  mutation AddQualification($input: AddCustomerQualificationInput!) {
    addCustomerQualification(input: $input) {
      qualification {
        qualification
        vettingStatus
      }
      customer {
        ...CustomerQualificationsFields
      }
      errors {
        code
        message
        upstreamCode
      }
    }
  }
`);

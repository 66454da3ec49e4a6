import { graphql } from './gql/index.js';

/** The customer page of a partner portal: qualifications and whether Education applies. */
export const CustomerQualifications = graphql(`
  query CustomerQualifications($id: ID!) {
    customer(id: $id) {
      id
      isEducation: isQualifiedFor(qualification: EDUCATION)
      qualifications {
        qualification
        rawQualification
        vettingStatus
        vettingReason
        vettingCreatedDate
      }
    }
  }
`);

/** The portal's first screen: a page of the directory, searched by name, with Education status. */
export const CustomerDirectoryPage = graphql(`
  query CustomerDirectoryPage($first: Int!, $after: String, $name: String) {
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
          isEducation: isQualifiedFor(qualification: EDUCATION)
        }
      }
    }
  }
`);

/** A list page: one request for a page of customers, in order. */
export const CustomersPage = graphql(`
  query CustomersPage($ids: [ID!]!) {
    customers(ids: $ids) {
      id
      qualifications {
        qualification
        vettingStatus
      }
    }
  }
`);

/** The "add qualification" form, with the codes a GCC request can use. */
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
        vettingCreatedDate
      }
      customer {
        id
        qualifications {
          qualification
          vettingStatus
        }
      }
      errors {
        code
        message
      }
    }
  }
`);

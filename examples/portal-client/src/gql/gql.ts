/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CustomerQualifications($id: ID!) {\n    customer(id: $id) {\n      id\n      isEducation: isQualifiedFor(qualification: EDUCATION)\n      qualifications {\n        qualification\n        rawQualification\n        vettingStatus\n        vettingReason\n        vettingCreatedDate\n      }\n    }\n  }\n": typeof types.CustomerQualificationsDocument,
    "\n  query CustomerDirectoryPage($first: Int!, $after: String, $name: String) {\n    customerDirectory(first: $first, after: $after, companyNameStartsWith: $name) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          companyName\n          domain\n          isEducation: isQualifiedFor(qualification: EDUCATION)\n        }\n      }\n    }\n  }\n": typeof types.CustomerDirectoryPageDocument,
    "\n  query CustomersPage($ids: [ID!]!) {\n    customers(ids: $ids) {\n      id\n      qualifications {\n        qualification\n        vettingStatus\n      }\n    }\n  }\n": typeof types.CustomersPageDocument,
    "\n  query GccValidationCodes {\n    gccValidationCodes {\n      validationCode\n      organizationName\n      remainingCreates\n      isUsable\n    }\n  }\n": typeof types.GccValidationCodesDocument,
    "\n  mutation AddQualification($input: AddCustomerQualificationInput!) {\n    addCustomerQualification(input: $input) {\n      qualification {\n        qualification\n        vettingStatus\n        vettingCreatedDate\n      }\n      customer {\n        id\n        qualifications {\n          qualification\n          vettingStatus\n        }\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": typeof types.AddQualificationDocument,
};
const documents: Documents = {
    "\n  query CustomerQualifications($id: ID!) {\n    customer(id: $id) {\n      id\n      isEducation: isQualifiedFor(qualification: EDUCATION)\n      qualifications {\n        qualification\n        rawQualification\n        vettingStatus\n        vettingReason\n        vettingCreatedDate\n      }\n    }\n  }\n": types.CustomerQualificationsDocument,
    "\n  query CustomerDirectoryPage($first: Int!, $after: String, $name: String) {\n    customerDirectory(first: $first, after: $after, companyNameStartsWith: $name) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          companyName\n          domain\n          isEducation: isQualifiedFor(qualification: EDUCATION)\n        }\n      }\n    }\n  }\n": types.CustomerDirectoryPageDocument,
    "\n  query CustomersPage($ids: [ID!]!) {\n    customers(ids: $ids) {\n      id\n      qualifications {\n        qualification\n        vettingStatus\n      }\n    }\n  }\n": types.CustomersPageDocument,
    "\n  query GccValidationCodes {\n    gccValidationCodes {\n      validationCode\n      organizationName\n      remainingCreates\n      isUsable\n    }\n  }\n": types.GccValidationCodesDocument,
    "\n  mutation AddQualification($input: AddCustomerQualificationInput!) {\n    addCustomerQualification(input: $input) {\n      qualification {\n        qualification\n        vettingStatus\n        vettingCreatedDate\n      }\n      customer {\n        id\n        qualifications {\n          qualification\n          vettingStatus\n        }\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n": types.AddQualificationDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerQualifications($id: ID!) {\n    customer(id: $id) {\n      id\n      isEducation: isQualifiedFor(qualification: EDUCATION)\n      qualifications {\n        qualification\n        rawQualification\n        vettingStatus\n        vettingReason\n        vettingCreatedDate\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerQualifications($id: ID!) {\n    customer(id: $id) {\n      id\n      isEducation: isQualifiedFor(qualification: EDUCATION)\n      qualifications {\n        qualification\n        rawQualification\n        vettingStatus\n        vettingReason\n        vettingCreatedDate\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerDirectoryPage($first: Int!, $after: String, $name: String) {\n    customerDirectory(first: $first, after: $after, companyNameStartsWith: $name) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          companyName\n          domain\n          isEducation: isQualifiedFor(qualification: EDUCATION)\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerDirectoryPage($first: Int!, $after: String, $name: String) {\n    customerDirectory(first: $first, after: $after, companyNameStartsWith: $name) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          companyName\n          domain\n          isEducation: isQualifiedFor(qualification: EDUCATION)\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomersPage($ids: [ID!]!) {\n    customers(ids: $ids) {\n      id\n      qualifications {\n        qualification\n        vettingStatus\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomersPage($ids: [ID!]!) {\n    customers(ids: $ids) {\n      id\n      qualifications {\n        qualification\n        vettingStatus\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GccValidationCodes {\n    gccValidationCodes {\n      validationCode\n      organizationName\n      remainingCreates\n      isUsable\n    }\n  }\n"): (typeof documents)["\n  query GccValidationCodes {\n    gccValidationCodes {\n      validationCode\n      organizationName\n      remainingCreates\n      isUsable\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddQualification($input: AddCustomerQualificationInput!) {\n    addCustomerQualification(input: $input) {\n      qualification {\n        qualification\n        vettingStatus\n        vettingCreatedDate\n      }\n      customer {\n        id\n        qualifications {\n          qualification\n          vettingStatus\n        }\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddQualification($input: AddCustomerQualificationInput!) {\n    addCustomerQualification(input: $input) {\n      qualification {\n        qualification\n        vettingStatus\n        vettingCreatedDate\n      }\n      customer {\n        id\n        qualifications {\n          qualification\n          vettingStatus\n        }\n      }\n      errors {\n        code\n        message\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
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
    "\n  fragment CustomerQualificationsFields on Customer {\n    id\n    qualificationsReadAt\n    qualificationsStale\n    qualifications {\n      qualification\n      rawQualification\n      vettingStatus\n      rawVettingStatus\n      vettingReason\n      vettingCreatedDate\n    }\n  }\n": typeof types.CustomerQualificationsFieldsFragmentDoc,
    "\n  query DirectoryPage($first: Int!, $after: String, $companyNameStartsWith: String) {\n    customerDirectory(first: $first, after: $after, companyNameStartsWith: $companyNameStartsWith) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          companyName\n          domain\n          isEducation: isQualifiedFor(qualification: EDUCATION)\n        }\n      }\n    }\n  }\n": typeof types.DirectoryPageDocument,
    "\n  query CustomerPage($id: ID!) {\n    customer(id: $id) {\n      id\n      companyName\n      domain\n      relationshipToPartner\n      ...CustomerQualificationsFields\n    }\n  }\n": typeof types.CustomerPageDocument,
    "\n  subscription CustomerVetting($ids: [ID!]!) {\n    customerQualificationsChanged(ids: $ids) {\n      ...CustomerQualificationsFields\n    }\n  }\n": typeof types.CustomerVettingDocument,
    "\n  query GccValidationCodes {\n    gccValidationCodes {\n      validationCode\n      organizationName\n      remainingCreates\n      isUsable\n    }\n  }\n": typeof types.GccValidationCodesDocument,
    "\n  mutation AddQualification($input: AddCustomerQualificationInput!) {\n    addCustomerQualification(input: $input) {\n      qualification {\n        qualification\n        vettingStatus\n      }\n      customer {\n        ...CustomerQualificationsFields\n      }\n      errors {\n        code\n        message\n        upstreamCode\n      }\n    }\n  }\n": typeof types.AddQualificationDocument,
};
const documents: Documents = {
    "\n  fragment CustomerQualificationsFields on Customer {\n    id\n    qualificationsReadAt\n    qualificationsStale\n    qualifications {\n      qualification\n      rawQualification\n      vettingStatus\n      rawVettingStatus\n      vettingReason\n      vettingCreatedDate\n    }\n  }\n": types.CustomerQualificationsFieldsFragmentDoc,
    "\n  query DirectoryPage($first: Int!, $after: String, $companyNameStartsWith: String) {\n    customerDirectory(first: $first, after: $after, companyNameStartsWith: $companyNameStartsWith) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          companyName\n          domain\n          isEducation: isQualifiedFor(qualification: EDUCATION)\n        }\n      }\n    }\n  }\n": types.DirectoryPageDocument,
    "\n  query CustomerPage($id: ID!) {\n    customer(id: $id) {\n      id\n      companyName\n      domain\n      relationshipToPartner\n      ...CustomerQualificationsFields\n    }\n  }\n": types.CustomerPageDocument,
    "\n  subscription CustomerVetting($ids: [ID!]!) {\n    customerQualificationsChanged(ids: $ids) {\n      ...CustomerQualificationsFields\n    }\n  }\n": types.CustomerVettingDocument,
    "\n  query GccValidationCodes {\n    gccValidationCodes {\n      validationCode\n      organizationName\n      remainingCreates\n      isUsable\n    }\n  }\n": types.GccValidationCodesDocument,
    "\n  mutation AddQualification($input: AddCustomerQualificationInput!) {\n    addCustomerQualification(input: $input) {\n      qualification {\n        qualification\n        vettingStatus\n      }\n      customer {\n        ...CustomerQualificationsFields\n      }\n      errors {\n        code\n        message\n        upstreamCode\n      }\n    }\n  }\n": types.AddQualificationDocument,
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
export function graphql(source: "\n  fragment CustomerQualificationsFields on Customer {\n    id\n    qualificationsReadAt\n    qualificationsStale\n    qualifications {\n      qualification\n      rawQualification\n      vettingStatus\n      rawVettingStatus\n      vettingReason\n      vettingCreatedDate\n    }\n  }\n"): (typeof documents)["\n  fragment CustomerQualificationsFields on Customer {\n    id\n    qualificationsReadAt\n    qualificationsStale\n    qualifications {\n      qualification\n      rawQualification\n      vettingStatus\n      rawVettingStatus\n      vettingReason\n      vettingCreatedDate\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DirectoryPage($first: Int!, $after: String, $companyNameStartsWith: String) {\n    customerDirectory(first: $first, after: $after, companyNameStartsWith: $companyNameStartsWith) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          companyName\n          domain\n          isEducation: isQualifiedFor(qualification: EDUCATION)\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DirectoryPage($first: Int!, $after: String, $companyNameStartsWith: String) {\n    customerDirectory(first: $first, after: $after, companyNameStartsWith: $companyNameStartsWith) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          companyName\n          domain\n          isEducation: isQualifiedFor(qualification: EDUCATION)\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerPage($id: ID!) {\n    customer(id: $id) {\n      id\n      companyName\n      domain\n      relationshipToPartner\n      ...CustomerQualificationsFields\n    }\n  }\n"): (typeof documents)["\n  query CustomerPage($id: ID!) {\n    customer(id: $id) {\n      id\n      companyName\n      domain\n      relationshipToPartner\n      ...CustomerQualificationsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CustomerVetting($ids: [ID!]!) {\n    customerQualificationsChanged(ids: $ids) {\n      ...CustomerQualificationsFields\n    }\n  }\n"): (typeof documents)["\n  subscription CustomerVetting($ids: [ID!]!) {\n    customerQualificationsChanged(ids: $ids) {\n      ...CustomerQualificationsFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GccValidationCodes {\n    gccValidationCodes {\n      validationCode\n      organizationName\n      remainingCreates\n      isUsable\n    }\n  }\n"): (typeof documents)["\n  query GccValidationCodes {\n    gccValidationCodes {\n      validationCode\n      organizationName\n      remainingCreates\n      isUsable\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddQualification($input: AddCustomerQualificationInput!) {\n    addCustomerQualification(input: $input) {\n      qualification {\n        qualification\n        vettingStatus\n      }\n      customer {\n        ...CustomerQualificationsFields\n      }\n      errors {\n        code\n        message\n        upstreamCode\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AddQualification($input: AddCustomerQualificationInput!) {\n    addCustomerQualification(input: $input) {\n      qualification {\n        qualification\n        vettingStatus\n      }\n      customer {\n        ...CustomerQualificationsFields\n      }\n      errors {\n        code\n        message\n        upstreamCode\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
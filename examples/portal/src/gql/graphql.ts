/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * A point in time, written as an ISO-8601 string in UTC with millisecond precision,
   * for example `2021-05-06T19:59:56.683Z`.
   */
  DateTime: { input: string; output: string; }
  _Any: { input: unknown; output: unknown; }
  federation__ContextFieldValue: { input: string; output: string; }
  federation__FieldSet: { input: string; output: string; }
  federation__Policy: { input: string; output: string; }
  federation__Scope: { input: string; output: string; }
  link__Import: { input: unknown; output: unknown; }
};

/** An expected refusal of `addCustomerQualification`. */
export type AddCustomerQualificationError = {
  __typename?: 'AddCustomerQualificationError';
  /** What kind of refusal. */
  code: AddCustomerQualificationErrorCode;
  /** A sentence for people. */
  message: Scalars['String']['output'];
  /** Partner Center's own error code, when it gave one. */
  upstreamCode?: Maybe<Scalars['String']['output']>;
};

/** Kinds of expected refusal of `addCustomerQualification`. */
export type AddCustomerQualificationErrorCode =
  /** The customer already has this qualification. */
  | 'ALREADY_QUALIFIED'
  /** Partner Center does not know the customer. */
  | 'CUSTOMER_NOT_FOUND'
  /**
   * The caller may not do this: an app-only token, a missing GDAP role, or no relationship with the
   * customer.
   */
  | 'NOT_ALLOWED'
  /** Partner Center refused the request for another reason. */
  | 'REJECTED'
  /**
   * Partner Center refused the validation code: unknown, used up, or the customer already has a
   * qualification.
   */
  | 'VALIDATION_CODE_REJECTED';

/** What to add, and to whom. */
export type AddCustomerQualificationInput = {
  /** The customer's Microsoft tenant id (a GUID). */
  customerId: Scalars['ID']['input'];
  /** Required for EDUCATION, refused for the others. */
  educationSegment?: InputMaybe<EducationSegment>;
  /**
   * A GUID of the client's choosing that makes retries safe: the same key is the same write, sent
   * to Partner Center as its `MS-RequestId`, and is never applied twice. Without it, the gateway
   * makes one per call (and reuses it for its own retries).
   */
  idempotencyKey?: InputMaybe<Scalars['ID']['input']>;
  /** The qualification to add; only these three can be set through Partner Center. */
  qualification: SettableQualification;
  /** Required for GOVERNMENT_COMMUNITY_CLOUD (see `gccValidationCodes`), refused for the others. */
  validationCode?: InputMaybe<Scalars['String']['input']>;
  /** The institution's website, e.g. `contoso.edu`; recommended for EDUCATION. */
  website?: InputMaybe<Scalars['String']['input']>;
};

/** The outcome of `addCustomerQualification`. */
export type AddCustomerQualificationPayload = {
  __typename?: 'AddCustomerQualificationPayload';
  /**
   * The customer read again after the change, so a client can refresh its cache in one round-trip;
   * null when it could not be read.
   */
  customer?: Maybe<Customer>;
  /** Why Partner Center refused the change; empty on success. */
  errors: Array<AddCustomerQualificationError>;
  /** The qualification as Partner Center created it (usually IN_REVIEW); null when refused. */
  qualification?: Maybe<CustomerQualification>;
};

/**
 * A customer of the partner, identified by its Microsoft tenant id, with its company profile and
 * the qualifications Partner Center records for it. Each is read only when one of its fields is
 * asked. Other subgraphs may extend it by `id`. A reference to a customer Partner Center does not
 * know (through `_entities`, as a router resolves another subgraph's customers) still resolves:
 * `knownToPartnerCenter` is false, `qualifications` empty and `isQualifiedFor` false, so one
 * unknown customer does not null a router's whole answer. When a read fails, the customer stays
 * with what was read: only the fields that need the failed read are null, each with the error
 * on its path and `extensions.customerId`.
 */
export type Customer = {
  __typename?: 'Customer';
  /**
   * The customer's company name from its Partner Center profile, for example `Contoso University`.
   * Null when the profile has none, or (with an error on its path) when the profile read failed.
   * Shareable: another subgraph may answer it as well.
   */
  companyName?: Maybe<Scalars['String']['output']>;
  /**
   * The customer's domain from its Partner Center profile, for example
   * `contosouniversity.onmicrosoft.com`. Null when the profile has none, or (with an error on its
   * path) when the profile read failed. Shareable: another subgraph may answer it as well.
   */
  domain?: Maybe<Scalars['String']['output']>;
  /** The customer's Microsoft tenant id, a lower-case GUID. */
  id: Scalars['ID']['output'];
  /**
   * True when the customer holds this qualification and it is usable: vetting approved, or a
   * qualification that needs no vetting (such as STATE_OWNED_ENTITY). False while in review,
   * when denied, or when the qualification is absent. Null, with an error on its path, when the
   * qualifications read failed: unknown, neither yes nor no.
   */
  isQualifiedFor?: Maybe<Scalars['Boolean']['output']>;
  /**
   * True when Partner Center answered for this customer; false for a customer it does not know
   * (possible only through `_entities`: `customer` and `customers` answer null for those). True
   * as soon as any read answered for it (a directory customer was listed); null, with an error on
   * its path, when every read that could tell failed.
   */
  knownToPartnerCenter?: Maybe<Scalars['Boolean']['output']>;
  /**
   * Every qualification Partner Center holds for the customer, with its vetting state. Empty when
   * the customer has none, or when Partner Center does not know the customer. Null, with an error
   * on its path, when the qualifications read failed.
   */
  qualifications?: Maybe<Array<CustomerQualification>>;
  /**
   * When Partner Center gave the answer `qualifications` shows. Earlier than now when the gateway
   * answered from its cache; a frontend can show it as "as of". Null, with an error on its path,
   * when the qualifications read failed.
   */
  qualificationsReadAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * True when `qualifications` is an answer kept past its freshness, given because Partner Center
   * failed just now (the response then carries `Cache-Control: no-store`). False for a fresh answer.
   * Null, with an error on its path, when the qualifications read failed.
   */
  qualificationsStale?: Maybe<Scalars['Boolean']['output']>;
  /**
   * How the partner is related to the customer, from its Partner Center profile. Null when the
   * profile does not say, or (with an error on its path) when the profile read failed.
   */
  relationshipToPartner?: Maybe<RelationshipToPartner>;
};


/**
 * A customer of the partner, identified by its Microsoft tenant id, with its company profile and
 * the qualifications Partner Center records for it. Each is read only when one of its fields is
 * asked. Other subgraphs may extend it by `id`. A reference to a customer Partner Center does not
 * know (through `_entities`, as a router resolves another subgraph's customers) still resolves:
 * `knownToPartnerCenter` is false, `qualifications` empty and `isQualifiedFor` false, so one
 * unknown customer does not null a router's whole answer. When a read fails, the customer stays
 * with what was read: only the fields that need the failed read are null, each with the error
 * on its path and `extensions.customerId`.
 */
export type CustomerIsQualifiedForArgs = {
  qualification: QualificationKind;
};

/** One page of the partner's customer directory (Relay connection, forward paging only). */
export type CustomerConnection = {
  __typename?: 'CustomerConnection';
  /** The customers of this page, in Partner Center's order. */
  edges: Array<CustomerEdge>;
  /** Whether more pages follow, and the cursor to read on from. */
  pageInfo: PageInfo;
  /**
   * How many customers the whole search matches, as Partner Center counts them. Null when it does
   * not say.
   */
  totalCount?: Maybe<Scalars['Int']['output']>;
};

/** One customer of a directory page and the cursor right after it. */
export type CustomerEdge = {
  __typename?: 'CustomerEdge';
  /** Pass as `after` to read on right after this customer (same search, any `first`). */
  cursor: Scalars['String']['output'];
  /**
   * The customer, with its names from the list answer. When its qualifications are asked and
   * their read fails, it stays: only the qualification fields are null, with the error (naming
   * the customer in `extensions.customerId`). Null only when, asked for its qualifications,
   * Partner Center no longer knows it; the rest of the page stays.
   */
  node?: Maybe<Customer>;
};

/** One qualification of a customer and how its asynchronous vetting stands. */
export type CustomerQualification = {
  __typename?: 'CustomerQualification';
  /**
   * The kind of qualification. OTHER when Partner Center sends a kind this gateway does not know
   * yet; `rawQualification` then has its name.
   */
  qualification: QualificationKind;
  /** The qualification exactly as Partner Center names it, for example `Education`. */
  rawQualification: Scalars['String']['output'];
  /**
   * The vetting state exactly as Partner Center names it, for example `InReview`. Null when the
   * qualification is not vetted.
   */
  rawVettingStatus?: Maybe<Scalars['String']['output']>;
  /** When the vetting request was created. Null when Partner Center gives no date. */
  vettingCreatedDate?: Maybe<Scalars['DateTime']['output']>;
  /**
   * Why vetting ended as it did, in Partner Center's words, for example
   * `Not an Education Customer` for a denial. Free text; null when Partner Center gives none.
   */
  vettingReason?: Maybe<Scalars['String']['output']>;
  /**
   * Where vetting stands. Null for qualifications that are not vetted (such as STATE_OWNED_ENTITY).
   * OTHER when Partner Center sends a state this gateway does not know yet; `rawVettingStatus`
   * then has its name.
   */
  vettingStatus?: Maybe<VettingStatus>;
};

/** The kind of education institution. */
export type EducationSegment =
  /** Colleges and universities (Partner Center `HigherEducation`). */
  | 'HIGHER_EDUCATION'
  /** Primary and secondary schools (Partner Center `K12`). */
  | 'K12';

/** A GovernmentCommunityCloud validation code of the partner. */
export type GccValidationCode = {
  __typename?: 'GccValidationCode';
  /** True while the code has creates left. */
  isUsable: Scalars['Boolean']['output'];
  /** How many qualifications the code may create in all. */
  maxCreates?: Maybe<Scalars['Int']['output']>;
  /** The organisation the code was issued to. */
  organizationName?: Maybe<Scalars['String']['output']>;
  /** How many it may still create. */
  remainingCreates?: Maybe<Scalars['Int']['output']>;
  /** The code to pass as `validationCode` (Partner Center `validationId`). */
  validationCode: Scalars['String']['output'];
};

/**
 * Changes to customer qualifications. Partner Center accepts these only with an App+User token
 * (a signed-in partner user's), never with an app-only token.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Asks Partner Center to add a qualification to a customer. Education and
   * GovernmentCommunityCloud start IN_REVIEW and are vetted asynchronously: read the customer again
   * later. A qualification cannot be removed by the partner once added. Expected refusals (already
   * qualified, validation code used up, not allowed) come back in `errors`; failures of Partner
   * Center itself are GraphQL errors.
   */
  addCustomerQualification: AddCustomerQualificationPayload;
};


/**
 * Changes to customer qualifications. Partner Center accepts these only with an App+User token
 * (a signed-in partner user's), never with an app-only token.
 */
export type MutationAddCustomerQualificationArgs = {
  input: AddCustomerQualificationInput;
};

/** Where a page of a forward-only connection ends. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /**
   * The cursor of the page's last edge: pass it as `after` for the next page. Null when the page
   * is empty and nothing follows.
   */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when another page follows this one. */
  hasNextPage: Scalars['Boolean']['output'];
};

/** Kinds of customer qualification known to Partner Center. */
export type QualificationKind =
  /** An education institution (Partner Center `Education`). */
  | 'EDUCATION'
  /** A US government community cloud entity (Partner Center `GovernmentCommunityCloud`). */
  | 'GOVERNMENT_COMMUNITY_CLOUD'
  /** Explicitly no qualification (Partner Center `None`). */
  | 'NONE'
  /** A nonprofit organisation (Partner Center `Nonprofit`). */
  | 'NONPROFIT'
  /** A kind this gateway does not know yet; see `rawQualification`. */
  | 'OTHER'
  /** A state-owned entity (Partner Center `StateOwnedEntity`); it may combine with another kind. */
  | 'STATE_OWNED_ENTITY';

/** Read access to Microsoft Partner Center customer qualifications. */
export type Query = {
  __typename?: 'Query';
  _entities: Array<Maybe<_Entity>>;
  _service: _Service;
  /**
   * One customer by its Microsoft tenant id (a GUID). Null when Partner Center does not know the
   * customer, or the partner has no relationship with it. When a read its fields need fails, the
   * customer is still answered and those fields are null with the error (see `Customer`); it is
   * null with the error only when nothing but `id` was asked and the read that would show it
   * exists failed.
   */
  customer?: Maybe<Customer>;
  /**
   * The partner's customers, a page at a time, optionally searched by the start of the company
   * name or of the domain (at most one of the two). Relay-style and forward only: pass a page's
   * `pageInfo.endCursor` (or any edge's `cursor`) as `after` to read on, with the same search and
   * any `first`. Nodes carry their names without further reads; asking for their qualifications reads
   * them once per customer.
   */
  customerDirectory: CustomerConnection;
  /**
   * Several customers by tenant id, answered in the order asked, one entry per id (duplicates
   * allowed). An entry is null when that customer is unknown, its id is not a GUID, or (as for
   * `customer`) only `id` was asked and its read failed; the error for it names its position.
   * A customer whose reads failed otherwise keeps its entry, its failed fields null with errors.
   */
  customers: Array<Maybe<Customer>>;
  /**
   * The partner's GovernmentCommunityCloud validation codes, to pick one for
   * `addCustomerQualification`. A code works only while it has creates left, and only for a
   * customer without any qualification yet.
   */
  gccValidationCodes: Array<GccValidationCode>;
};


/** Read access to Microsoft Partner Center customer qualifications. */
export type Query_EntitiesArgs = {
  representations: Array<Scalars['_Any']['input']>;
};


/** Read access to Microsoft Partner Center customer qualifications. */
export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


/** Read access to Microsoft Partner Center customer qualifications. */
export type QueryCustomerDirectoryArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  companyNameStartsWith?: InputMaybe<Scalars['String']['input']>;
  domainStartsWith?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Read access to Microsoft Partner Center customer qualifications. */
export type QueryCustomersArgs = {
  ids: Array<Scalars['ID']['input']>;
};

/** How a partner is related to a customer (Partner Center `relationshipToPartner`). */
export type RelationshipToPartner =
  /** The partner advises the customer (Partner Center `advisor`). */
  | 'ADVISOR'
  /** The partner provides Microsoft support to the customer (Partner Center `microsoft_support`). */
  | 'MICROSOFT_SUPPORT'
  /** No relationship (Partner Center `none`). */
  | 'NONE'
  /** A relationship this gateway does not know yet. */
  | 'OTHER'
  /** The partner resells to the customer (Partner Center `reseller`). */
  | 'RESELLER'
  /** A syndication relationship (Partner Center `syndication`). */
  | 'SYNDICATION';

/** Qualifications a partner can add through Partner Center. */
export type SettableQualification =
  /** An education institution; needs `educationSegment`. */
  | 'EDUCATION'
  /** A US government community cloud entity; needs `validationCode`. */
  | 'GOVERNMENT_COMMUNITY_CLOUD'
  /** A state-owned entity; combines with either of the others. */
  | 'STATE_OWNED_ENTITY';

/** Live updates: what is pushed to a client as soon as the gateway learns it. */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Watches customers' qualifications. First emits each watched customer's current state, one
   * `Customer` per event (so nothing that changed between a query and this subscription is lost),
   * then emits a customer again each time Partner Center's answer for it changes: a vetting
   * status, reason or date, or a qualification added or gone (a new read time alone is no change).
   * Every `Customer` field may be selected; each event is an entity with its `id`, so a normalised
   * client cache updates every query that shows the customer. An unknown customer is emitted once
   * with `knownToPartnerCenter: false`, and again if Partner Center later knows it. The gateway
   * reads each watched customer once per interval for every watcher of it (README "Live
   * updates"), and a qualification added through this gateway is emitted at once.
   */
  customerQualificationsChanged: Customer;
};


/** Live updates: what is pushed to a client as soon as the gateway learns it. */
export type SubscriptionCustomerQualificationsChangedArgs = {
  ids: Array<Scalars['ID']['input']>;
};

/** States of the asynchronous vetting of a qualification. */
export type VettingStatus =
  /** Vetting succeeded; the qualification is in effect. */
  | 'APPROVED'
  /** Vetting failed; `vettingReason` says why. */
  | 'DENIED'
  /** Vetting is under way; read again later. */
  | 'IN_REVIEW'
  /** A state this gateway does not know yet; see `rawVettingStatus`. */
  | 'OTHER';

export type _Entity = Customer;

export type _Service = {
  __typename?: '_Service';
  sdl?: Maybe<Scalars['String']['output']>;
};

export type Link__Purpose =
  /** `EXECUTION` features provide metadata necessary for operation execution. */
  | 'EXECUTION'
  /** `SECURITY` features provide metadata necessary to securely resolve fields. */
  | 'SECURITY';

export type CustomerQualificationsFieldsFragment = { __typename?: 'Customer', id: string, qualificationsReadAt?: string | null, qualificationsStale?: boolean | null, qualifications?: Array<{ __typename?: 'CustomerQualification', qualification: QualificationKind, rawQualification: string, vettingStatus?: VettingStatus | null, rawVettingStatus?: string | null, vettingReason?: string | null, vettingCreatedDate?: string | null }> | null };

export type DirectoryPageQueryVariables = Exact<{
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  companyNameStartsWith?: InputMaybe<Scalars['String']['input']>;
}>;


export type DirectoryPageQuery = { __typename?: 'Query', customerDirectory: { __typename?: 'CustomerConnection', totalCount?: number | null, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null }, edges: Array<{ __typename?: 'CustomerEdge', cursor: string, node?: { __typename?: 'Customer', id: string, companyName?: string | null, domain?: string | null, isEducation?: boolean | null } | null }> } };

export type CustomerPageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CustomerPageQuery = { __typename?: 'Query', customer?: { __typename?: 'Customer', id: string, companyName?: string | null, domain?: string | null, relationshipToPartner?: RelationshipToPartner | null, qualificationsReadAt?: string | null, qualificationsStale?: boolean | null, qualifications?: Array<{ __typename?: 'CustomerQualification', qualification: QualificationKind, rawQualification: string, vettingStatus?: VettingStatus | null, rawVettingStatus?: string | null, vettingReason?: string | null, vettingCreatedDate?: string | null }> | null } | null };

export type CustomerVettingSubscriptionVariables = Exact<{
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type CustomerVettingSubscription = { __typename?: 'Subscription', customerQualificationsChanged: { __typename?: 'Customer', id: string, qualificationsReadAt?: string | null, qualificationsStale?: boolean | null, qualifications?: Array<{ __typename?: 'CustomerQualification', qualification: QualificationKind, rawQualification: string, vettingStatus?: VettingStatus | null, rawVettingStatus?: string | null, vettingReason?: string | null, vettingCreatedDate?: string | null }> | null } };

export type GccValidationCodesQueryVariables = Exact<{ [key: string]: never; }>;


export type GccValidationCodesQuery = { __typename?: 'Query', gccValidationCodes: Array<{ __typename?: 'GccValidationCode', validationCode: string, organizationName?: string | null, remainingCreates?: number | null, isUsable: boolean }> };

export type AddQualificationMutationVariables = Exact<{
  input: AddCustomerQualificationInput;
}>;


export type AddQualificationMutation = { __typename?: 'Mutation', addCustomerQualification: { __typename?: 'AddCustomerQualificationPayload', qualification?: { __typename?: 'CustomerQualification', qualification: QualificationKind, vettingStatus?: VettingStatus | null } | null, customer?: { __typename?: 'Customer', id: string, qualificationsReadAt?: string | null, qualificationsStale?: boolean | null, qualifications?: Array<{ __typename?: 'CustomerQualification', qualification: QualificationKind, rawQualification: string, vettingStatus?: VettingStatus | null, rawVettingStatus?: string | null, vettingReason?: string | null, vettingCreatedDate?: string | null }> | null } | null, errors: Array<{ __typename?: 'AddCustomerQualificationError', code: AddCustomerQualificationErrorCode, message: string, upstreamCode?: string | null }> } };

export const CustomerQualificationsFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerQualificationsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qualificationsReadAt"}},{"kind":"Field","name":{"kind":"Name","value":"qualificationsStale"}},{"kind":"Field","name":{"kind":"Name","value":"qualifications"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"qualification"}},{"kind":"Field","name":{"kind":"Name","value":"rawQualification"}},{"kind":"Field","name":{"kind":"Name","value":"vettingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"rawVettingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"vettingReason"}},{"kind":"Field","name":{"kind":"Name","value":"vettingCreatedDate"}}]}}]}}]} as unknown as DocumentNode<CustomerQualificationsFieldsFragment, unknown>;
export const DirectoryPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DirectoryPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"companyNameStartsWith"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerDirectory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"companyNameStartsWith"},"value":{"kind":"Variable","name":{"kind":"Name","value":"companyNameStartsWith"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","alias":{"kind":"Name","value":"isEducation"},"name":{"kind":"Name","value":"isQualifiedFor"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"qualification"},"value":{"kind":"EnumValue","value":"EDUCATION"}}]}]}}]}}]}}]}}]} as unknown as DocumentNode<DirectoryPageQuery, DirectoryPageQueryVariables>;
export const CustomerPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CustomerPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customer"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"companyName"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"relationshipToPartner"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerQualificationsFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerQualificationsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qualificationsReadAt"}},{"kind":"Field","name":{"kind":"Name","value":"qualificationsStale"}},{"kind":"Field","name":{"kind":"Name","value":"qualifications"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"qualification"}},{"kind":"Field","name":{"kind":"Name","value":"rawQualification"}},{"kind":"Field","name":{"kind":"Name","value":"vettingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"rawVettingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"vettingReason"}},{"kind":"Field","name":{"kind":"Name","value":"vettingCreatedDate"}}]}}]}}]} as unknown as DocumentNode<CustomerPageQuery, CustomerPageQueryVariables>;
export const CustomerVettingDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"CustomerVetting"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"customerQualificationsChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerQualificationsFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerQualificationsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qualificationsReadAt"}},{"kind":"Field","name":{"kind":"Name","value":"qualificationsStale"}},{"kind":"Field","name":{"kind":"Name","value":"qualifications"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"qualification"}},{"kind":"Field","name":{"kind":"Name","value":"rawQualification"}},{"kind":"Field","name":{"kind":"Name","value":"vettingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"rawVettingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"vettingReason"}},{"kind":"Field","name":{"kind":"Name","value":"vettingCreatedDate"}}]}}]}}]} as unknown as DocumentNode<CustomerVettingSubscription, CustomerVettingSubscriptionVariables>;
export const GccValidationCodesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"GccValidationCodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"gccValidationCodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"validationCode"}},{"kind":"Field","name":{"kind":"Name","value":"organizationName"}},{"kind":"Field","name":{"kind":"Name","value":"remainingCreates"}},{"kind":"Field","name":{"kind":"Name","value":"isUsable"}}]}}]}}]} as unknown as DocumentNode<GccValidationCodesQuery, GccValidationCodesQueryVariables>;
export const AddQualificationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddQualification"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddCustomerQualificationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addCustomerQualification"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"qualification"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"qualification"}},{"kind":"Field","name":{"kind":"Name","value":"vettingStatus"}}]}},{"kind":"Field","name":{"kind":"Name","value":"customer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"CustomerQualificationsFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"errors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"upstreamCode"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"CustomerQualificationsFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Customer"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"qualificationsReadAt"}},{"kind":"Field","name":{"kind":"Name","value":"qualificationsStale"}},{"kind":"Field","name":{"kind":"Name","value":"qualifications"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"qualification"}},{"kind":"Field","name":{"kind":"Name","value":"rawQualification"}},{"kind":"Field","name":{"kind":"Name","value":"vettingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"rawVettingStatus"}},{"kind":"Field","name":{"kind":"Name","value":"vettingReason"}},{"kind":"Field","name":{"kind":"Name","value":"vettingCreatedDate"}}]}}]}}]} as unknown as DocumentNode<AddQualificationMutation, AddQualificationMutationVariables>;
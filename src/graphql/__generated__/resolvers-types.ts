import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CustomerModel, AddCustomerQualificationOutcome } from '../resolvers/models.js';
import type { DirectoryPage, DirectoryEdge } from '../../directory/page.js';
import type { QualificationRecord, ValidationCodeRecord } from '../../partner-center/types.js';
import type { Context } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
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
  DateTime: { input: Date; output: Date | string; }
  _FieldSet: { input: string; output: string; }
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

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Customer: Customer;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Customer:
    ( { __typename: 'Customer' }
    & GraphQLRecursivePick<FederationTypes['Customer'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AddCustomerQualificationError: ResolverTypeWrapper<AddCustomerQualificationError>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  AddCustomerQualificationErrorCode: AddCustomerQualificationErrorCode;
  AddCustomerQualificationInput: AddCustomerQualificationInput;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AddCustomerQualificationPayload: ResolverTypeWrapper<AddCustomerQualificationOutcome>;
  Customer: ResolverTypeWrapper<CustomerModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CustomerConnection: ResolverTypeWrapper<DirectoryPage>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  CustomerEdge: ResolverTypeWrapper<DirectoryEdge>;
  CustomerQualification: ResolverTypeWrapper<QualificationRecord>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  EducationSegment: EducationSegment;
  GccValidationCode: ResolverTypeWrapper<ValidationCodeRecord>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  QualificationKind: QualificationKind;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RelationshipToPartner: RelationshipToPartner;
  SettableQualification: SettableQualification;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  VettingStatus: VettingStatus;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AddCustomerQualificationError: AddCustomerQualificationError;
  String: Scalars['String']['output'];
  AddCustomerQualificationInput: AddCustomerQualificationInput;
  ID: Scalars['ID']['output'];
  AddCustomerQualificationPayload: AddCustomerQualificationOutcome;
  Customer: CustomerModel;
  Boolean: Scalars['Boolean']['output'];
  CustomerConnection: DirectoryPage;
  Int: Scalars['Int']['output'];
  CustomerEdge: DirectoryEdge;
  CustomerQualification: QualificationRecord;
  DateTime: Scalars['DateTime']['output'];
  GccValidationCode: ValidationCodeRecord;
  Mutation: Record<PropertyKey, never>;
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
}>;

export type AddCustomerQualificationErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AddCustomerQualificationError'] = ResolversParentTypes['AddCustomerQualificationError']> = ResolversObject<{
  code?: Resolver<ResolversTypes['AddCustomerQualificationErrorCode'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  upstreamCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type AddCustomerQualificationPayloadResolvers<ContextType = Context, ParentType extends ResolversParentTypes['AddCustomerQualificationPayload'] = ResolversParentTypes['AddCustomerQualificationPayload']> = ResolversObject<{
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  errors?: Resolver<Array<ResolversTypes['AddCustomerQualificationError']>, ParentType, ContextType>;
  qualification?: Resolver<Maybe<ResolversTypes['CustomerQualification']>, ParentType, ContextType>;
}>;

export type CustomerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  companyName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  domain?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isQualifiedFor?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType, RequireFields<CustomerIsQualifiedForArgs, 'qualification'>>;
  knownToPartnerCenter?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  qualifications?: Resolver<Maybe<Array<ResolversTypes['CustomerQualification']>>, ParentType, ContextType>;
  qualificationsReadAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  qualificationsStale?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  relationshipToPartner?: Resolver<Maybe<ResolversTypes['RelationshipToPartner']>, ParentType, ContextType>;
}>;

export type CustomerConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CustomerConnection'] = ResolversParentTypes['CustomerConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['CustomerEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
}>;

export type CustomerEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CustomerEdge'] = ResolversParentTypes['CustomerEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
}>;

export type CustomerQualificationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CustomerQualification'] = ResolversParentTypes['CustomerQualification']> = ResolversObject<{
  qualification?: Resolver<ResolversTypes['QualificationKind'], ParentType, ContextType>;
  rawQualification?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rawVettingStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vettingCreatedDate?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  vettingReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  vettingStatus?: Resolver<Maybe<ResolversTypes['VettingStatus']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type GccValidationCodeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['GccValidationCode'] = ResolversParentTypes['GccValidationCode']> = ResolversObject<{
  isUsable?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  maxCreates?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  organizationName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  remainingCreates?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  validationCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addCustomerQualification?: Resolver<ResolversTypes['AddCustomerQualificationPayload'], ParentType, ContextType, RequireFields<MutationAddCustomerQualificationArgs, 'input'>>;
}>;

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerArgs, 'id'>>;
  customerDirectory?: Resolver<ResolversTypes['CustomerConnection'], ParentType, ContextType, RequireFields<QueryCustomerDirectoryArgs, 'first'>>;
  customers?: Resolver<Array<Maybe<ResolversTypes['Customer']>>, ParentType, ContextType, RequireFields<QueryCustomersArgs, 'ids'>>;
  gccValidationCodes?: Resolver<Array<ResolversTypes['GccValidationCode']>, ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  customerQualificationsChanged?: SubscriptionResolver<ResolversTypes['Customer'], "customerQualificationsChanged", ParentType, ContextType, RequireFields<SubscriptionCustomerQualificationsChangedArgs, 'ids'>>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  AddCustomerQualificationError?: AddCustomerQualificationErrorResolvers<ContextType>;
  AddCustomerQualificationPayload?: AddCustomerQualificationPayloadResolvers<ContextType>;
  Customer?: CustomerResolvers<ContextType>;
  CustomerConnection?: CustomerConnectionResolvers<ContextType>;
  CustomerEdge?: CustomerEdgeResolvers<ContextType>;
  CustomerQualification?: CustomerQualificationResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  GccValidationCode?: GccValidationCodeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;


import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CustomerRecord, QualificationRecord } from '../partner-center/types.js';
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

/**
 * A customer of the partner, identified by its Microsoft tenant id, with the qualifications
 * Partner Center records for it. Other subgraphs may extend it by `id`.
 */
export type Customer = {
  __typename?: 'Customer';
  /** The customer's Microsoft tenant id, a lower-case GUID. */
  id: Scalars['ID']['output'];
  /**
   * True when the customer holds this qualification and it is usable: vetting approved, or a
   * qualification that needs no vetting (such as STATE_OWNED_ENTITY). False while in review,
   * when denied, or when the qualification is absent.
   */
  isQualifiedFor: Scalars['Boolean']['output'];
  /**
   * Every qualification Partner Center holds for the customer, with its vetting state. Empty when
   * the customer has none.
   */
  qualifications: Array<CustomerQualification>;
};


/**
 * A customer of the partner, identified by its Microsoft tenant id, with the qualifications
 * Partner Center records for it. Other subgraphs may extend it by `id`.
 */
export type CustomerIsQualifiedForArgs = {
  qualification: QualificationKind;
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
   * customer, or the partner has no relationship with it.
   */
  customer?: Maybe<Customer>;
  /**
   * Several customers by tenant id, answered in the order asked, one entry per id (duplicates
   * allowed). An entry is null when that customer is unknown or could not be read; the error for
   * it names its position.
   */
  customers: Array<Maybe<Customer>>;
};


/** Read access to Microsoft Partner Center customer qualifications. */
export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


/** Read access to Microsoft Partner Center customer qualifications. */
export type QueryCustomersArgs = {
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
  Customer: ResolverTypeWrapper<CustomerRecord>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CustomerQualification: ResolverTypeWrapper<QualificationRecord>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  QualificationKind: QualificationKind;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  VettingStatus: VettingStatus;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Customer: CustomerRecord;
  ID: Scalars['ID']['output'];
  Boolean: Scalars['Boolean']['output'];
  CustomerQualification: QualificationRecord;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  Query: Record<PropertyKey, never>;
}>;

export type CustomerResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer'], FederationReferenceType extends FederationReferenceTypes['Customer'] = FederationReferenceTypes['Customer']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Customer']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isQualifiedFor?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<CustomerIsQualifiedForArgs, 'qualification'>>;
  qualifications?: Resolver<Array<ResolversTypes['CustomerQualification']>, ParentType, ContextType>;
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

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerArgs, 'id'>>;
  customers?: Resolver<Array<Maybe<ResolversTypes['Customer']>>, ParentType, ContextType, RequireFields<QueryCustomersArgs, 'ids'>>;
}>;

export type Resolvers<ContextType = Context> = ResolversObject<{
  Customer?: CustomerResolvers<ContextType>;
  CustomerQualification?: CustomerQualificationResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Query?: QueryResolvers<ContextType>;
}>;


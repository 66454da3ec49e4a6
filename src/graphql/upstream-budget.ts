import type { ApolloServerPlugin } from '@apollo/server';
import {
  getVariableValues,
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MISSING_TOKEN_MESSAGE, type Context } from './context.js';
import { normaliseCustomerId } from './customer-id.js';
import { readsById, selectedReads, subSelections, type CustomerReads } from './customer-reads.js';
import { directoryListCalls } from '../directory/page.js';
import { DEFAULT_PAGE_SIZE, isPageSize } from '../directory/search.js';
import { unauthenticated } from './errors.js';

/**
 * Root fields that call Partner Center whatever their arguments (besides the customer reads,
 * which count by id). A field added here needs credentials before execution starts.
 */
const CALLING_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'gccValidationCodes',
  'addCustomerQualification',
  'customerDirectory',
]);

export interface OperationReads {
  /** Unique valid customer ids whose qualifications the operation would read (one call each). */
  readonly customerIds: Set<string>;
  /** Unique valid customer ids whose profile the operation would read (one call each). */
  readonly profileIds: Set<string>;
  /**
   * Other reads: a directory page's list calls (one, or two when it spans two Partner Center
   * pages) plus, when its nodes ask for qualifications,
   * `first` qualification reads; the GCC validation codes.
   */
  readonly otherReads: number;
  /** Positions of `_entities` representations that are not `Customer` references. */
  readonly foreignRepresentations: number[];
  /** Root fields that call Partner Center besides the customer reads (`CALLING_ROOT_FIELDS`). */
  readonly otherCalls: Set<string>;
}

/** Whether running the operation would call Partner Center at all. */
export function callsPartnerCenter(reads: OperationReads): boolean {
  return readCount(reads) > 0 || reads.otherCalls.size > 0;
}

/** Every Partner Center read the operation would make. */
export function readCount(reads: OperationReads): number {
  return reads.customerIds.size + reads.profileIds.size + reads.otherReads;
}

/**
 * The Partner Center reads an operation would make, worked out from the operation and its
 * (coerced, defaulted) variables before anything runs: per customer, the reads its sub-selection
 * needs (`customer-reads.ts`, the same rule the resolvers follow). Every root field that reads
 * customers by id takes the ids as arguments, so that count is exact; a directory page counts
 * the list calls its cursor and `first` span and `first` qualification reads, an upper bound. `@skip`/`@include` on root fields are ignored,
 * which can only over-count.
 */
export function operationReads(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): OperationReads {
  const customerIds = new Set<string>();
  const profileIds = new Set<string>();
  let otherReads = 0;
  const foreignRepresentations: number[] = [];
  const otherCalls = new Set<string>();
  const seenFragments = new Set<string>();
  const readsOfSelection = (sets: readonly (SelectionSetNode | undefined)[]): CustomerReads =>
    readsById(selectedReads(sets, fragments, variables));
  const add = (value: unknown, reads: CustomerReads) => {
    const id = normaliseCustomerId(value);
    if (id === undefined) return;
    if (reads.qualifications) customerIds.add(id);
    if (reads.profile) profileIds.add(id);
  };
  // GraphQL input coercion turns a single value into a one-item list; so does this.
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  const argument = (
    node: { arguments?: readonly { name: { value: string }; value: ValueNode }[] },
    name: string,
  ) => {
    const arg = node.arguments?.find((candidate) => candidate.name.value === name);
    return arg === undefined ? undefined : valueFromASTUntyped(arg.value, variables);
  };

  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD && CALLING_ROOT_FIELDS.has(selection.name.value)) {
        otherCalls.add(selection.name.value);
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments[name];
        if (fragment !== undefined && !seenFragments.has(name)) {
          seenFragments.add(name);
          visit(fragment.selectionSet);
        }
      } else if (selection.name.value === 'customer') {
        add(argument(selection, 'id'), readsOfSelection([selection.selectionSet]));
      } else if (selection.name.value === 'customers') {
        const reads = readsOfSelection([selection.selectionSet]);
        for (const id of list(argument(selection, 'ids'))) add(id, reads);
      } else if (selection.name.value === 'addCustomerQualification') {
        // The payload's customer, when asked, is read again after the write.
        const asked = subSelections([selection.selectionSet], 'customer', fragments, variables);
        const input = argument(selection, 'input');
        if (asked.length > 0 && typeof input === 'object' && input !== null)
          add((input as Record<string, unknown>)['customerId'], readsOfSelection(asked));
      } else if (selection.name.value === '_entities') {
        const reads = readsOfSelection([selection.selectionSet]);
        list(argument(selection, 'representations')).forEach((representation, index) => {
          const fields =
            typeof representation === 'object' && representation !== null
              ? (representation as Record<string, unknown>)
              : {};
          if (fields['__typename'] === 'Customer') add(fields['id'], reads);
          else foreignRepresentations.push(index);
        });
      } else if (selection.name.value === 'customerDirectory') {
        const first = argument(selection, 'first') ?? DEFAULT_PAGE_SIZE;
        // A size out of bounds is refused by the resolver before any call.
        if (!isPageSize(first)) continue;
        const edges = subSelections([selection.selectionSet], 'edges', fragments, variables);
        const nodes = subSelections(edges, 'node', fragments, variables);
        const nodeReads = selectedReads(nodes, fragments, variables);
        const listCalls = directoryListCalls({
          first,
          after: stringOrNull(argument(selection, 'after')),
          companyNameStartsWith: stringOrNull(argument(selection, 'companyNameStartsWith')),
          domainStartsWith: stringOrNull(argument(selection, 'domainStartsWith')),
        });
        otherReads += listCalls + (nodeReads.qualifications ? first : 0);
      } else if (selection.name.value === 'gccValidationCodes') {
        otherReads += 1;
      }
    }
  };
  visit(operation.selectionSet);
  return { customerIds, profileIds, otherReads, foreignRepresentations, otherCalls };
}

// Arguments that are not strings fail validation before anything runs.
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function refuse(message: string, extensions: Record<string, unknown> = {}): Promise<never> {
  return Promise.reject(
    new GraphQLError(message, {
      extensions: { ...extensions, code: 'BAD_USER_INPUT', http: { status: 400 } },
    }),
  );
}

/**
 * Told the operation's reads once they are within budget, before anything runs (overload
 * admission); a rejection refuses the operation.
 */
export type AfterBudget = (reads: OperationReads, context: Context) => Promise<void>;

/**
 * Refuses, before any upstream call, an operation that would call Partner Center without
 * credentials (HTTP 401; what never reaches it, such as `_service` or introspection, needs
 * none), one that would make more Partner Center reads than `maxCalls` (an alias flood, a huge
 * `customers` list, `_entities` batch or directory page cannot fan out into thousands of
 * Partner Center calls), and `_entities` representations this subgraph cannot
 * resolve.
 */
export function upstreamBudgetPlugin(
  maxCalls: number,
  afterBudget?: AfterBudget,
): ApolloServerPlugin<Context> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ operation, document, request, schema, contextValue }) => {
          if (operation === undefined) return Promise.resolve();
          const variables = coercedVariables(schema, operation, request.variables ?? {});
          // Variables that do not coerce fail execution with a clear error; nothing to count.
          if (variables === undefined) return Promise.resolve();
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) {
              fragments[definition.name.value] = definition;
            }
          }
          const reads = operationReads(operation, fragments, variables);
          if (!contextValue.hasPartnerCenterCredentials && callsPartnerCenter(reads)) {
            return Promise.reject(unauthenticated(MISSING_TOKEN_MESSAGE));
          }
          if (reads.foreignRepresentations.length > 0) {
            return refuse(
              `_entities representations must be Customer references ({"__typename": "Customer", "id": "<GUID>"}); not at positions ${reads.foreignRepresentations.slice(0, 10).join(', ')}.`,
              { argumentName: 'representations' },
            );
          }
          // Cached or not: this bounds what the operation can cause, and a cache entry found now
          // may expire, be evicted or be dropped by a write before its read.
          const calls = readCount(reads);
          if (calls > maxCalls) {
            return refuse(
              `This operation would make ${calls} Partner Center reads; the limit is ${maxCalls} per operation. Split it into smaller operations.`,
              { upstreamCalls: calls, maxUpstreamCalls: maxCalls },
            );
          }
          return afterBudget?.(reads, contextValue) ?? Promise.resolve();
        },
      }),
  };
}

/**
 * Variables as execution will see them. Only defaults change which ids an operation reads (the
 * walk itself treats a single value as a one-item list and ignores non-strings), so the full
 * coercion, which execution repeats anyway, runs only for operations that declare a default.
 */
function coercedVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> | undefined {
  const definitions = operation.variableDefinitions ?? [];
  if (definitions.every((definition) => definition.defaultValue === undefined)) return inputs;
  return getVariableValues(schema, definitions, inputs, { maxErrors: 1 }).coerced;
}

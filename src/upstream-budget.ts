import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  valueFromASTUntyped,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Context } from './context.js';
import { normaliseCustomerId } from './customer-id.js';

/**
 * The customers an operation would read from Partner Center, worked out from the operation and
 * its variables before anything runs. Every root field that reads customers takes its ids as
 * arguments, so the count is exact: unique valid ids, as the DataLoader will fetch them.
 * `@skip`/`@include` are ignored, which can only over-count.
 */
export function customersReadBy(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): Set<string> {
  const ids = new Set<string>();
  const seenFragments = new Set<string>();
  const add = (value: unknown) => {
    const id = typeof value === 'string' ? normaliseCustomerId(value) : undefined;
    if (id !== undefined) ids.add(id);
  };
  const argument = (
    node: { arguments?: readonly { name: { value: string }; value: ValueNode }[] },
    name: string,
  ) => {
    const arg = node.arguments?.find((candidate) => candidate.name.value === name);
    return arg === undefined ? undefined : valueFromASTUntyped(arg.value, variables);
  };

  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
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
        add(argument(selection, 'id'));
      } else if (selection.name.value === 'customers') {
        const list = argument(selection, 'ids');
        for (const id of Array.isArray(list) ? list : [list]) add(id);
      } else if (selection.name.value === '_entities') {
        const list = argument(selection, 'representations');
        for (const representation of Array.isArray(list) ? list : []) {
          if (typeof representation === 'object' && representation !== null) {
            const { __typename, id } = representation as Record<string, unknown>;
            if (__typename === 'Customer') add(id);
          }
        }
      }
    }
  };
  visit(operation.selectionSet);
  return ids;
}

/**
 * Refuses, before any upstream call, an operation that would read more customers than
 * `maxCalls`: an alias flood, a huge `customers` list or `_entities` batch cannot fan out into
 * thousands of Partner Center calls.
 */
export function upstreamBudgetPlugin(maxCalls: number): ApolloServerPlugin<Context> {
  return {
    requestDidStart: () =>
      Promise.resolve({
        didResolveOperation: ({ operation, document, request }) => {
          if (operation === undefined) return Promise.resolve();
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) {
              fragments[definition.name.value] = definition;
            }
          }
          const calls = customersReadBy(operation, fragments, request.variables ?? {}).size;
          if (calls > maxCalls) {
            return Promise.reject(
              new GraphQLError(
                `This operation would read ${calls} customers from Partner Center; the limit is ${maxCalls} per operation. Split it into smaller operations.`,
                {
                  extensions: {
                    code: 'BAD_USER_INPUT',
                    upstreamCalls: calls,
                    maxUpstreamCalls: maxCalls,
                    http: { status: 400 },
                  },
                },
              ),
            );
          }
          return Promise.resolve();
        },
      }),
  };
}

import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/** The two Partner Center reads a `Customer` can need. */
export interface CustomerReads {
  /** `GET /v1/customers/{id}`: the company profile. */
  readonly profile: boolean;
  /** `GET /v1/customers/{id}/qualifications`. */
  readonly qualifications: boolean;
  /**
   * Set when no field asked shows the reads: they are done only to know that the customer
   * exists, so a failed one has no field to carry its error and fails the customer instead.
   */
  readonly existenceOnly?: true;
}

export type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;
export type Variables = Readonly<Record<string, unknown>>;

/** Answered from the profile read. */
const PROFILE_FIELDS: ReadonlySet<string> = new Set([
  'companyName',
  'domain',
  'relationshipToPartner',
]);
/** Answered without any read. */
const FREE_FIELDS: ReadonlySet<string> = new Set(['id', '__typename']);

export const QUALIFICATIONS_READ: CustomerReads = { profile: false, qualifications: true };

/**
 * The reads a Customer selection asks for: profile fields need the profile, every other field
 * but `id` and `__typename` (qualifications, `isQualifiedFor`, …) the qualifications. Fragments
 * are followed whatever their type condition (only Customer has these fields here); fields that
 * `@skip`/`@include` leave out are left out.
 */
export function selectedReads(
  selectionSets: readonly (SelectionSetNode | undefined)[],
  fragments: Fragments,
  variables: Variables,
): CustomerReads {
  let profile = false;
  let qualifications = false;
  for (const field of fieldsOf(selectionSets, fragments, variables)) {
    const name = field.name.value;
    if (PROFILE_FIELDS.has(name)) profile = true;
    else if (!FREE_FIELDS.has(name)) qualifications = true;
  }
  return { profile, qualifications };
}

/**
 * A customer reached by id must be read to know whether it exists (null when unknown): by the
 * reads its fields need, and a selection of only `id`/`__typename` keeps the qualifications
 * read it always had.
 */
export function readsById(selected: CustomerReads): CustomerReads {
  if (!selected.profile && !selected.qualifications) {
    return { profile: false, qualifications: true, existenceOnly: true };
  }
  return selected;
}

// graphql-js hands every item of a list the same field nodes array: one walk per field.
const memo = new WeakMap<readonly FieldNode[], CustomerReads>();

/** `selectedReads` of the field being resolved (it returns Customer, a list of them or entities). */
export function readsOf(info: GraphQLResolveInfo): CustomerReads {
  let reads = memo.get(info.fieldNodes);
  if (reads === undefined) {
    reads = selectedReads(
      info.fieldNodes.map((node) => node.selectionSet),
      info.fragments,
      info.variableValues,
    );
    memo.set(info.fieldNodes, reads);
  }
  return reads;
}

/** The selection sets of the fields named `name` in these selections (through fragments). */
export function subSelections(
  selectionSets: readonly (SelectionSetNode | undefined)[],
  name: string,
  fragments: Fragments,
  variables: Variables,
): SelectionSetNode[] {
  return fieldsOf(selectionSets, fragments, variables)
    .filter((field) => field.name.value === name)
    .map((field) => field.selectionSet)
    .filter((set): set is SelectionSetNode => set !== undefined);
}

function fieldsOf(
  selectionSets: readonly (SelectionSetNode | undefined)[],
  fragments: Fragments,
  variables: Variables,
): FieldNode[] {
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (!included(selection, variables)) continue;
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return fields;
}

function included(node: Parameters<typeof getDirectiveValues>[1], variables: Variables): boolean {
  if (node.directives === undefined || node.directives.length === 0) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.['if'] === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.['if'] !== false;
  } catch {
    // A directive argument that does not coerce fails validation or execution; count the field.
    return true;
  }
}

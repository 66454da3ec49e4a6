import { describe, expect, it } from 'vitest';
import { createSchema } from '../../src/graphql/schema.js';
import { createDocumentCache } from '../../src/graphql/query-stores.js';
import {
  prepareSubscription,
  type OperationRules,
} from '../../src/subscriptions/subscription-operation.js';

const WATCH = `subscription Watch($ids: [ID!]!) {
  customerQualificationsChanged(ids: $ids) { id }
}`;
const IDS = { ids: ['10000000-0000-4000-8000-000000000001'] };

function rules(): OperationRules {
  return {
    schema: createSchema(),
    validationRules: [],
    maxTokens: 1000,
    documents: createDocumentCache(),
  };
}

function codes(prepared: ReturnType<typeof prepareSubscription>): unknown[] {
  return 'errors' in prepared ? prepared.errors.map((error) => error.extensions['code']) : [];
}

describe('subscription documents', () => {
  it('parses and validates a query text once: every subscription of it shares one document', () => {
    const shared = rules();
    const first = prepareSubscription(shared, { query: WATCH, variables: IDS });
    const second = prepareSubscription(shared, { query: WATCH, variables: IDS });

    expect('document' in first && 'document' in second).toBe(true);
    if (!('document' in first) || !('document' in second)) return;
    expect(second.document).toBe(first.document);
    expect(shared.documents.size).toBe(1);
  });

  it('still checks the variables of each subscription of a known document', () => {
    const shared = rules();
    prepareSubscription(shared, { query: WATCH, variables: IDS });

    expect(codes(prepareSubscription(shared, { query: WATCH, variables: {} }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      codes(prepareSubscription(shared, { query: WATCH, variables: { ids: [null] } })),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps no document that failed: the same bad text is refused again, with its code', () => {
    const shared = rules();
    const unparsable = { query: 'subscription {', variables: {} };
    const invalid = { query: 'subscription { nope }', variables: {} };

    for (let n = 0; n < 2; n += 1) {
      expect(codes(prepareSubscription(shared, unparsable))).toEqual(['GRAPHQL_PARSE_FAILED']);
      expect(codes(prepareSubscription(shared, invalid))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    expect(shared.documents.size).toBe(0);
  });

  it('refuses a query or mutation from a known document by its operation name', () => {
    const shared = rules();
    const both = `${WATCH}\nquery One { __typename }`;
    expect(
      codes(prepareSubscription(shared, { query: both, operationName: 'Watch', variables: IDS })),
    ).toEqual([]);
    expect(codes(prepareSubscription(shared, { query: both, operationName: 'One' }))).toEqual([
      'BAD_REQUEST',
    ]);
    expect(shared.documents.size).toBe(1);
  });
});

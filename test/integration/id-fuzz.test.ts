import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApollo, UPSTREAM, type TestApollo } from '../helpers/apollo.js';
import { testConfig } from '../helpers/config.js';
import { createMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { CUSTOMERS_IDS, CUSTOMER_ID, ENTITIES_IDS } from '../helpers/operations.js';

const RUNS = 300;

/** Where each query's root field starts, as graphql-js reports it. */
const FIELD_LOCATION = [{ line: 3, column: 5 }];

const NOT_A_GUID = 'Customer id must be a GUID such as 10000000-0000-4000-8000-000000000001.';
const UPSTREAM_PATH =
  /^\/v1\/customers\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/qualifications$/;

const HEX_DIGITS = Array.from('0123456789abcdefABCDEF');
const HYPHENS = [8, 13, 18, 23];

/** The oracle, written apart from the gateway's regex: 36 characters, hyphens at 8/13/18/23. */
function isGuid(value: string): boolean {
  if (value.length !== 36) return false;
  for (let index = 0; index < value.length; index += 1) {
    const char = value.charAt(index);
    const fits = HYPHENS.includes(index) ? char === '-' : HEX_DIGITS.includes(char);
    if (!fits) return false;
  }
  return true;
}

const pathOf = (id: string) => `/v1/customers/${id.toLowerCase()}/qualifications`;

const hex = (length: number) =>
  fc
    .array(fc.constantFrom(...HEX_DIGITS), { minLength: length, maxLength: length })
    .map((chars) => chars.join(''));

/** A GUID in any mix of upper and lower case. */
const guid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((parts) => parts.join('-'));

const HOSTILE_PIECES = [
  '../',
  '..\\',
  '..',
  '.',
  '/',
  '\\',
  '%2f',
  '%2F',
  '%2e',
  '%2E%2E%2F',
  '%00',
  '%20',
  '%0a',
  '?',
  '?x=1',
  '#',
  '#top',
  '&',
  ';',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '\u0000',
  '{',
  '}',
  '-',
  'all',
  'validations',
  'urn:uuid:',
  // Look-alikes: Kelvin sign, fullwidth zero and 'a', Arabic-Indic one, dotted capital I.
  '\u212A',
  '\uFF10',
  '\uFF41',
  '\u0661',
  '\u0130',
  // Invisible: zero-width space, byte-order mark.
  '\u200B',
  '\uFEFF',
];

const piece = fc.oneof(
  fc.constantFrom(...HOSTILE_PIECES),
  fc.constantFrom(...HEX_DIGITS),
  fc.string({ maxLength: 3, unit: 'binary' }),
);
const affix = fc.array(piece, { maxLength: 3 }).map((pieces) => pieces.join(''));

/**
 * Ids a caller might send to steer the upstream URL: GUIDs (plain, or with hostile prefixes and
 * suffixes, a character replaced or inserted, braces, no hyphens) and arbitrary unicode.
 */
const hostileId = fc.oneof(
  { arbitrary: guid, weight: 4 },
  { arbitrary: fc.tuple(affix, guid, affix).map((parts) => parts.join('')), weight: 4 },
  {
    arbitrary: fc
      .tuple(guid, fc.nat({ max: 35 }), piece)
      .map(([id, at, inserted]) => id.slice(0, at) + inserted + id.slice(at + 1)),
    weight: 2,
  },
  {
    arbitrary: fc
      .tuple(guid, fc.nat({ max: 36 }), piece)
      .map(([id, at, inserted]) => id.slice(0, at) + inserted + id.slice(at)),
    weight: 2,
  },
  { arbitrary: guid.map((id) => `{${id}}`), weight: 1 },
  { arbitrary: guid.map((id) => id.replaceAll('-', '')), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary' }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme' }), weight: 1 },
  { arbitrary: fc.string(), weight: 1 },
);

/** A bad id is reported against the argument it came in: `ids` for `customers`, else `id`. */
const badIdError = (path: readonly (string | number)[]) => ({
  message: NOT_A_GUID,
  locations: FIELD_LOCATION,
  path,
  extensions: { code: 'BAD_USER_INPUT', argumentName: path[0] === 'customers' ? 'ids' : 'id' },
});

/** What a list field answers: one entry per id, an error per entry that is not a GUID. */
function expectedList(field: string, ids: readonly string[]) {
  const errors = ids.flatMap((id, index) => (isGuid(id) ? [] : [badIdError([field, index])]));
  return {
    data: { [field]: ids.map((id) => (isGuid(id) ? { id: id.toLowerCase() } : null)) },
    ...(errors.length === 0 ? {} : { errors }),
  };
}

/** Unique upstream paths the ids must cause, sorted: one call per distinct GUID. */
function expectedPaths(ids: readonly string[]): string[] {
  return [...new Set(ids.filter(isGuid).map(pathOf))].sort();
}

/** Errors in the order of their entry, so a whole-body comparison does not depend on timing. */
function byPath(body: Record<string, unknown>): Record<string, unknown> {
  const errors: unknown = body['errors'];
  if (!Array.isArray(errors)) return body;
  const position = (error: unknown) => {
    const path = (error as { path?: unknown[] }).path;
    const last = path?.[path.length - 1];
    return typeof last === 'number' ? last : -1;
  };
  return {
    ...body,
    errors: (errors as unknown[]).slice().sort((a, b) => position(a) - position(b)),
  };
}

let upstream: MockUpstream;
let gateway: TestApollo;
/** Every path the catch-all upstream was asked for, in order. */
let seen: string[];

beforeEach(async () => {
  upstream = createMockUpstream();
  seen = [];
  upstream.agent
    .get(UPSTREAM.origin)
    .intercept({ path: () => true, method: () => true })
    .reply(
      200,
      (request) => {
        seen.push(`${request.method} ${request.path}`);
        return '[]';
      },
      { headers: { 'content-type': 'application/json' } },
    )
    .persist();
  gateway = await createTestApollo(upstream.agent, testConfig());
});

afterEach(async () => {
  await gateway.server.stop();
  // The catch-all interceptor is still pending when no run reached upstream, which is the point.
  await upstream.agent.close();
});

/** The paths seen since the last reset, each checked to be a GET of one lower-case GUID. */
function takeSeen(): string[] {
  const paths = seen.map((call) => {
    expect(call).toMatch(/^GET /);
    return call.slice('GET '.length);
  });
  for (const path of paths) expect(path).toMatch(UPSTREAM_PATH);
  seen = [];
  return paths;
}

describe('ids that reach upstream', () => {
  it('calls upstream for customer(id:) only with a GUID, lower-cased, and refuses the rest', async () => {
    await fc.assert(
      fc.asyncProperty(hostileId, async (id) => {
        seen = [];

        const result = await gateway.execute(CUSTOMER_ID, { id });

        expect(result.status ?? 200).toBe(200);
        expect(result.body).toEqual(
          isGuid(id)
            ? { data: { customer: { id: id.toLowerCase() } } }
            : { data: { customer: null }, errors: [badIdError(['customer'])] },
        );
        expect(takeSeen()).toEqual(isGuid(id) ? [pathOf(id)] : []);
      }),
      { numRuns: RUNS },
    );
  });

  it('calls upstream for customers(ids:) once per distinct GUID and refuses each other entry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileId, { maxLength: 8 }), async (ids) => {
        seen = [];

        const result = await gateway.execute(CUSTOMERS_IDS, { ids });

        expect(result.status ?? 200).toBe(200);
        expect(byPath(result.body)).toEqual(expectedList('customers', ids));
        expect(takeSeen().sort()).toEqual(expectedPaths(ids));
      }),
      { numRuns: RUNS },
    );
  });

  it('calls upstream for _entities once per distinct GUID and refuses each other representation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileId, { maxLength: 8 }), async (ids) => {
        seen = [];

        const result = await gateway.execute(ENTITIES_IDS, {
          representations: ids.map((id) => ({ __typename: 'Customer', id })),
        });

        expect(result.status ?? 200).toBe(200);
        expect(byPath(result.body)).toEqual(expectedList('_entities', ids));
        expect(takeSeen().sort()).toEqual(expectedPaths(ids));
      }),
      { numRuns: RUNS },
    );
  });
});

/** JSON that is not a string (a GUID hides in some of them, where a string is not expected). */
const nonStringJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue().filter((value) => typeof value !== 'string'),
  guid.map((id) => [id]),
  guid.map((id) => [[id]]),
  guid.map((id) => ({ id })),
);

/**
 * Non-empty arrays of non-strings. No GUID string among them: `ID` accepts integers, so
 * `[guid, 0]` is a valid `[ID!]!` and rightly reads that one customer.
 */
const nonStringArray = fc.array(nonStringJson, { minLength: 1, maxLength: 6 });

/** A value that does not fit `ID!`: absent, null, a non-string, or an array. */
const wrongId: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  nonStringJson,
  nonStringArray,
);

/** A value that does not fit `[ID!]!`: as above, except a list of strings (even an empty one). */
const wrongIds = wrongId.filter(
  (value) => !(Array.isArray(value) && value.every((entry) => typeof entry === 'string')),
);

/** A value that does not fit `[_Any!]!` as Customer representations (an empty list would). */
const wrongRepresentations: fc.Arbitrary<unknown> = fc
  .oneof(
    fc.constant(undefined),
    fc.constant(null),
    nonStringJson,
    fc.array(
      fc.oneof(
        nonStringJson,
        fc.constant(null),
        guid,
        guid.map((id) => ({ id })),
        fc.record({
          __typename: fc.oneof(
            fc.constantFrom('Customer', 'customer', 'CUSTOMER_ID', 'Query', '_Service', '_Entity'),
            fc.string(),
          ),
          id: nonStringJson,
        }),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .filter((value) => !(Array.isArray(value) && value.length === 0));

function variablesWith(name: string, value: unknown): Record<string, unknown> {
  return value === undefined ? {} : { [name]: value };
}

/**
 * A refused variable: either coercion failed (HTTP 400, no `data` at all, BAD_USER_INPUT naming
 * the variable), or coercion succeeded and the field answered no data with at least one error.
 */
function expectRefused(
  result: { status: number | undefined; body: Record<string, unknown> },
  variable: string,
  field: string,
): void {
  const errors = result.body['errors'] as { message: string; extensions: { code: string } }[];
  expect(errors.length).toBeGreaterThan(0);
  if (result.status === 400) {
    expect(Object.keys(result.body)).toEqual(['errors']);
    for (const error of errors) {
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      expect(error.message).toContain(`"$${variable}"`);
    }
    return;
  }
  expect(result.status ?? 200).toBe(200);
  const data = result.body['data'] as Record<string, unknown> | null;
  const value = data?.[field] ?? null;
  if (Array.isArray(value)) {
    expect(value.every((entry) => entry === null)).toBe(true);
  } else {
    expect(value).toBeNull();
  }
}

describe('variables of the wrong type', () => {
  it('refuses a customer(id:) variable that is not a string, with no upstream call', async () => {
    await fc.assert(
      fc.asyncProperty(wrongId, async (value) => {
        seen = [];

        const result = await gateway.execute(CUSTOMER_ID, variablesWith('id', value));

        expectRefused(result, 'id', 'customer');
        for (const error of result.body['errors'] as { extensions: { code: string } }[]) {
          expect(error.extensions.code).toBe('BAD_USER_INPUT');
        }
        expect(takeSeen()).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a customers(ids:) variable that is not a list of strings, with no upstream call', async () => {
    await fc.assert(
      fc.asyncProperty(wrongIds, async (value) => {
        seen = [];

        const result = await gateway.execute(CUSTOMERS_IDS, variablesWith('ids', value));

        expectRefused(result, 'ids', 'customers');
        for (const error of result.body['errors'] as { extensions: { code: string } }[]) {
          expect(error.extensions.code).toBe('BAD_USER_INPUT');
        }
        expect(takeSeen()).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses _entities representations that are not Customer references with a string id, with no upstream call', async () => {
    await fc.assert(
      fc.asyncProperty(wrongRepresentations, async (value) => {
        seen = [];

        const result = await gateway.execute(ENTITIES_IDS, variablesWith('representations', value));

        // Refused as a whole (coercion, or a representation that is not a Customer reference)
        // with 400, or entry by entry (a Customer reference whose id is not a GUID string).
        const errors = result.body['errors'] as {
          message: string;
          extensions: { code: string; argumentName?: string };
        }[];
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) {
          expect(error.extensions.code).toBe('BAD_USER_INPUT');
          expect(
            error.message.includes('"$representations"') ||
              ['representations', 'id'].includes(error.extensions.argumentName ?? ''),
          ).toBe(true);
        }
        if (result.status !== 400) {
          const data = result.body['data'] as { _entities: unknown[] } | null;
          expect(data?._entities.every((entry) => entry === null) ?? true).toBe(true);
        }
        expect(takeSeen()).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});

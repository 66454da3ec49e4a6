import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  bindingOf,
  decodeCursor,
  encodeCursor,
  version1BindingOf,
} from '../../src/directory/cursor.js';
import { listCallsFrom } from '../../src/directory/page.js';
import { DEFAULT_PAGE_SIZE, directorySearch } from '../../src/directory/search.js';
import { createSchema } from '../../src/graphql/schema.js';
import type { CustomerFilter } from '../../src/partner-center/types.js';

const CONTOSO: CustomerFilter = { field: 'CompanyName', value: 'Contoso' };
const contoso = bindingOf(CONTOSO);
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const notOurs = {
  message: 'after is not a cursor of this directory.',
  code: 'BAD_USER_INPUT',
  argumentName: 'after',
};
const anotherSearch = {
  message:
    'after is a cursor of another search; use it with the same search, or start again without it.',
  code: 'BAD_USER_INPUT',
  argumentName: 'after',
};

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? { message: error.message, ...error.extensions } : error;
  }
  return 'no error';
}

describe('directory cursors', () => {
  it('round-trip a position with the size its token was made with, on any replica', () => {
    const position = { token: 'W3sidG9rZW4iOiIrUklEOn4=', size: 100, offset: 7 };
    const cursor = encodeCursor(contoso, position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, CONTOSO)).toEqual(position);
    const first = { token: null, size: 3, offset: 0 };
    expect(decodeCursor(encodeCursor(contoso, first), CONTOSO)).toEqual(first);
  });

  it('bind to the search field and its value, not to the page size', () => {
    const bindings = new Set([
      contoso,
      bindingOf({ field: 'Domain', value: 'Contoso' }),
      bindingOf({ field: 'CompanyName', value: 'contoso' }),
      bindingOf(undefined),
    ]);
    expect(bindings.size).toBe(4);
    const cursor = encodeCursor(contoso, { token: null, size: 100, offset: 1 });
    expect(refusal(() => decodeCursor(cursor, undefined))).toEqual(anotherSearch);
    expect(refusal(() => decodeCursor(cursor, { field: 'Domain', value: 'Contoso' }))).toEqual(
      anotherSearch,
    );
  });

  it('read on from a version 1 cursor at the page size its binding names', () => {
    const old = base64({ v: 1, b: version1BindingOf(7, CONTOSO), t: 'token-7', o: 3 });

    expect(decodeCursor(old, CONTOSO)).toEqual({ token: 'token-7', size: 7, offset: 3 });
    expect(refusal(() => decodeCursor(old, undefined))).toEqual(anotherSearch);
    // The same hash as version 1 computed it, so cursors handed out before still match.
    const v1Hash = createHash('sha256')
      .update(JSON.stringify([7, 'CompanyName', 'Contoso']))
      .digest('base64url')
      .slice(0, 16);
    expect(version1BindingOf(7, CONTOSO)).toBe(v1Hash);
  });

  it.each([
    ['a size of 0', { v: 2, b: contoso, t: null, s: 0, o: 0 }],
    ['a size over 100', { v: 2, b: contoso, t: null, s: 101, o: 0 }],
    ['no size', { v: 2, b: contoso, t: null, o: 0 }],
    ['a fractional size', { v: 2, b: contoso, t: null, s: 2.5, o: 0 }],
    ['a version 1 cursor with a size', { v: 1, b: contoso, t: null, s: 20, o: 0 }],
    ['an unknown version', { v: 3, b: contoso, t: null, s: 20, o: 0 }],
    ['a negative offset', { v: 2, b: contoso, t: null, s: 20, o: -1 }],
    ['a binding that is no string', { v: 2, b: 7, t: null, s: 20, o: 0 }],
  ])('refuse a tampered cursor with %s', (_name, payload) => {
    expect(refusal(() => decodeCursor(base64(payload), CONTOSO))).toEqual(notOurs);
  });

  it('refuse tokens that could not travel as one header value', () => {
    for (const token of ['a\nb', 'a\rb', ' lead', 'trail ', '', 'x'.repeat(4097), 'é']) {
      const forged = base64({ v: 2, b: contoso, t: token, s: 20, o: 0 });
      expect(refusal(() => decodeCursor(forged, CONTOSO))).toEqual(notOurs);
    }
  });
});

describe('directory list calls per page', () => {
  it.each([
    [{ token: null, size: 100, offset: 0 }, 100, 1],
    [{ token: 't', size: 100, offset: 80 }, 20, 1],
    [{ token: 't', size: 100, offset: 98 }, 7, 2],
    [{ token: 't', size: 100, offset: 1 }, 100, 2],
    [{ token: 't', size: 100, offset: 100 }, 1, 2],
    // A version 1 cursor of size 1 asked for 100: two calls, the page answered shorter.
    [{ token: 't', size: 1, offset: 0 }, 100, 2],
  ])('from %o, a page of %i spans %i Partner Center page(s)', (start, first, calls) => {
    expect(listCallsFrom(start, first)).toBe(calls);
  });
});

describe('directory search', () => {
  it('builds Partner Center filters and treats an empty search as none', () => {
    expect(directorySearch({})).toEqual({ size: 20, filter: undefined });
    expect(directorySearch({ first: null, companyNameStartsWith: '' })).toEqual({
      size: 20,
      filter: undefined,
    });
    expect(directorySearch({ first: 100, companyNameStartsWith: 'Con' })).toEqual({
      size: 100,
      filter: { field: 'CompanyName', value: 'Con' },
    });
    expect(
      directorySearch({ first: 1, domainStartsWith: 'con', companyNameStartsWith: '' }),
    ).toEqual({
      size: 1,
      filter: { field: 'Domain', value: 'con' },
    });
  });

  it('refuses a search text longer than 256 characters', () => {
    expect(refusal(() => directorySearch({ domainStartsWith: 'a'.repeat(257) }))).toEqual({
      message: 'A search text may be at most 256 characters.',
      code: 'BAD_USER_INPUT',
      argumentName: 'domainStartsWith',
    });
  });
});

it('counts the same default page size as the schema declares', () => {
  const field = createSchema().getQueryType()?.getFields()['customerDirectory'];
  expect(field?.args.find((arg) => arg.name === 'first')?.defaultValue).toBe(DEFAULT_PAGE_SIZE);
});

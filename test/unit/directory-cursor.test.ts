import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { bindingOf, decodeCursor, encodeCursor } from '../../src/directory/cursor.js';
import { DEFAULT_PAGE_SIZE, directorySearch } from '../../src/directory/search.js';
import { createSchema } from '../../src/graphql/schema.js';

const contoso = bindingOf({ size: 20, filter: { field: 'CompanyName', value: 'Contoso' } });

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? { message: error.message, ...error.extensions } : error;
  }
  return 'no error';
}

describe('directory cursors', () => {
  it('round-trip a position, and any replica decodes what another encoded', () => {
    const cursor = encodeCursor(contoso, { token: 'W3sidG9rZW4iOiIrUklEOn4=', offset: 7 });

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, contoso)).toEqual({ token: 'W3sidG9rZW4iOiIrUklEOn4=', offset: 7 });
    expect(decodeCursor(encodeCursor(contoso, { token: null, offset: 0 }), contoso)).toEqual({
      token: null,
      offset: 0,
    });
  });

  it('bind to the search field, its value and the page size', () => {
    const bindings = new Set([
      contoso,
      bindingOf({ size: 20, filter: { field: 'Domain', value: 'Contoso' } }),
      bindingOf({ size: 20, filter: { field: 'CompanyName', value: 'contoso' } }),
      bindingOf({ size: 21, filter: { field: 'CompanyName', value: 'Contoso' } }),
      bindingOf({ size: 20, filter: undefined }),
    ]);
    expect(bindings.size).toBe(5);
    expect(
      refusal(() =>
        decodeCursor(
          encodeCursor(contoso, { token: null, offset: 1 }),
          bindingOf({ size: 20, filter: undefined }),
        ),
      ),
    ).toEqual({
      message:
        'after is a cursor of another search or page size; use it with the same search and first, or start again without it.',
      code: 'BAD_USER_INPUT',
      argumentName: 'after',
    });
  });

  it('refuse tokens that could not travel as one header value', () => {
    for (const token of ['a\nb', 'a\rb', ' lead', 'trail ', '', 'x'.repeat(4097), 'é']) {
      const forged = Buffer.from(JSON.stringify({ v: 1, b: contoso, t: token, o: 0 })).toString(
        'base64url',
      );
      expect(refusal(() => decodeCursor(forged, contoso))).toEqual({
        message: 'after is not a cursor of this directory.',
        code: 'BAD_USER_INPUT',
        argumentName: 'after',
      });
    }
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

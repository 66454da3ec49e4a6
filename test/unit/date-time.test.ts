import { describe, expect, it } from 'vitest';
import { parseIsoDateTime } from '../../src/graphql/resolvers/date-time.js';

/** The parsed instant as ISO text, or undefined when the input is refused. */
function iso(text: string): string | undefined {
  return parseIsoDateTime(text)?.toISOString();
}

describe('parseIsoDateTime', () => {
  it('parses a UTC time with Z', () => {
    expect(iso('2020-12-04T20:54:24Z')).toBe('2020-12-04T20:54:24.000Z');
  });

  it('returns a Date', () => {
    expect(parseIsoDateTime('2020-12-04T20:54:24Z')).toEqual(
      new Date(Date.UTC(2020, 11, 4, 20, 54, 24)),
    );
  });

  it('keeps milliseconds and drops precision beyond them from seven fractional digits', () => {
    expect(iso('2021-05-06T19:59:56.6832021+00:00')).toBe('2021-05-06T19:59:56.683Z');
  });

  it('reads a positive offset as the same instant as its UTC equivalent', () => {
    expect(iso('2021-05-06T21:59:56.6832021+02:00')).toBe('2021-05-06T19:59:56.683Z');
    expect(parseIsoDateTime('2021-05-06T21:59:56.6832021+02:00')?.getTime()).toBe(
      parseIsoDateTime('2021-05-06T19:59:56.6832021+00:00')?.getTime(),
    );
  });

  it('reads a negative offset with minutes', () => {
    expect(iso('2021-05-06T19:59:56-05:30')).toBe('2021-05-07T01:29:56.000Z');
  });

  it('reads a positive offset with minutes', () => {
    expect(iso('2021-05-06T19:59:56+05:30')).toBe('2021-05-06T14:29:56.000Z');
  });

  it('reads offsets without a colon or without minutes', () => {
    expect(iso('2021-05-06T19:59:56+0530')).toBe('2021-05-06T14:29:56.000Z');
    expect(iso('2021-05-06T19:59:56-05')).toBe('2021-05-07T00:59:56.000Z');
  });

  it('takes a time without a zone as UTC', () => {
    expect(iso('2021-05-06T19:59:56')).toBe('2021-05-06T19:59:56.000Z');
    expect(iso('2021-05-06T19:59:56.5')).toBe('2021-05-06T19:59:56.500Z');
  });

  it('takes a date alone as midnight UTC', () => {
    expect(iso('2021-05-06')).toBe('2021-05-06T00:00:00.000Z');
  });

  it('accepts a time without seconds', () => {
    expect(iso('2021-05-06T19:59Z')).toBe('2021-05-06T19:59:00.000Z');
  });

  it('accepts lower-case t and z', () => {
    expect(iso('2021-05-06t19:59:56z')).toBe('2021-05-06T19:59:56.000Z');
  });

  it('accepts a space instead of T and a comma as decimal separator', () => {
    expect(iso('2021-05-06 19:59:56,25Z')).toBe('2021-05-06T19:59:56.250Z');
  });

  it('ignores surrounding whitespace', () => {
    expect(iso('  2020-12-04T20:54:24Z\n')).toBe('2020-12-04T20:54:24.000Z');
  });

  it('accepts 29 February in a leap year', () => {
    expect(iso('2020-02-29T00:00:00Z')).toBe('2020-02-29T00:00:00.000Z');
  });

  it.each([
    '2021-02-30T00:00:00Z',
    '2021-02-29T00:00:00Z',
    '2021-04-31',
    '2021-13-01T00:00:00Z',
    '2021-00-10T00:00:00Z',
    '2021-05-00',
    '2021-05-06T24:00:00Z',
    '2021-05-06T23:60:00Z',
    '2021-05-06T23:59:60Z',
  ])('refuses the impossible date-time %j', (text) => {
    expect(parseIsoDateTime(text)).toBeUndefined();
  });

  it.each([
    'yesterday',
    '',
    '   ',
    'not a date',
    '2021',
    '2021-05',
    '21-05-06',
    '2021/05/06',
    '2021-5-6',
    '2021-05-06T',
    '2021-05-06T19',
    '2021-05-06T19:59:56ZZ',
    '2021-05-06T19:59:56+5',
    '2021-05-06T19:59:56 UTC',
    '1620331196',
    'Thu, 06 May 2021 19:59:56 GMT',
    '2021-05-06T19:59:56+99:99',
    '2021-05-06T19:59:56+24:00',
    '2021-05-06T19:59:56-05:60',
  ])('refuses the garbage %j', (text) => {
    expect(parseIsoDateTime(text)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { parseErrorBody, parseRetryAfter } from '../../src/partner-center/error-body.js';

describe('parseErrorBody', () => {
  it('reads the documented {code, description, data, source} body', () => {
    const body = JSON.stringify({
      code: '60003',
      description: 'Tenant not found.',
      data: [],
      source: 'PartnerFD',
    });
    expect(parseErrorBody(body)).toEqual({ code: '60003', description: 'Tenant not found.' });
  });

  it('keeps a numeric code as its decimal text', () => {
    expect(
      parseErrorBody(JSON.stringify({ code: 60003, description: 'Tenant not found.' })),
    ).toEqual({ code: '60003', description: 'Tenant not found.' });
  });

  it('reads message when there is no description', () => {
    expect(parseErrorBody(JSON.stringify({ code: 1000, message: 'Resource not found.' }))).toEqual({
      code: '1000',
      description: 'Resource not found.',
    });
  });

  it('prefers description over message', () => {
    expect(parseErrorBody(JSON.stringify({ description: 'first', message: 'second' }))).toEqual({
      description: 'first',
    });
  });

  it('falls back to message when description is null', () => {
    expect(parseErrorBody(JSON.stringify({ description: null, message: 'second' }))).toEqual({
      description: 'second',
    });
  });

  it('reads the gateway-style {statusCode, message} body without inventing a code', () => {
    const body = JSON.stringify({
      statusCode: 429,
      message: 'Rate limit is exceeded. Try again in 1 seconds.',
    });
    expect(parseErrorBody(body)).toEqual({
      description: 'Rate limit is exceeded. Try again in 1 seconds.',
    });
  });

  it('reads a bare JSON string as the description', () => {
    expect(parseErrorBody('"Customer not found"')).toEqual({ description: 'Customer not found' });
  });

  it('reads non-JSON text as the description', () => {
    expect(parseErrorBody('<html><body>502 Bad Gateway</body></html>')).toEqual({
      description: '<html><body>502 Bad Gateway</body></html>',
    });
  });

  it('returns nothing for an empty body', () => {
    expect(parseErrorBody('')).toEqual({});
  });

  it.each(['null', '42', 'true', '[]', '["a"]', '{}'])(
    'returns nothing for the JSON %s',
    (body) => {
      expect(parseErrorBody(body)).toEqual({});
    },
  );

  it('falls back to message when description is not a string', () => {
    expect(parseErrorBody(JSON.stringify({ description: 42, message: 'm' }))).toEqual({
      description: 'm',
    });
  });

  it('ignores a code or description that is not a string or number', () => {
    expect(
      parseErrorBody(JSON.stringify({ code: { nested: true }, description: ['not', 'text'] })),
    ).toEqual({});
    expect(parseErrorBody(JSON.stringify({ code: true, message: 7 }))).toEqual({});
  });

  it('clips a long JSON description to 1024 characters and an ellipsis', () => {
    const long = 'x'.repeat(2000);
    expect(parseErrorBody(JSON.stringify({ code: 'E', description: long }))).toEqual({
      code: 'E',
      description: `${'x'.repeat(1024)}…`,
    });
  });

  it('clips a long message, bare string and plain text alike', () => {
    const long = 'y'.repeat(1025);
    const clipped = `${'y'.repeat(1024)}…`;
    expect(parseErrorBody(JSON.stringify({ message: long }))).toEqual({ description: clipped });
    expect(parseErrorBody(JSON.stringify(long))).toEqual({ description: clipped });
    expect(parseErrorBody(long)).toEqual({ description: clipped });
  });

  it('keeps a description of exactly 1024 characters whole', () => {
    const exact = 'z'.repeat(1024);
    expect(parseErrorBody(JSON.stringify({ description: exact }))).toEqual({ description: exact });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2015, 9, 21, 7, 28, 0);

  it.each([
    ['120', 120],
    ['0', 0],
    ['1', 1],
    [' 5 ', 5],
    ['007', 7],
  ])('reads delay-seconds %j as %i', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  it('reads an HTTP date as the seconds from now', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:30:00 GMT', now)).toBe(120);
  });

  it('rounds a partial second up', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:30:00 GMT', now + 500)).toBe(120);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:30:00 GMT', now + 1500)).toBe(119);
  });

  it('reads an HTTP date equal to now as zero', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
  });

  it('reads an HTTP date in the past as zero, never negative', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
  });

  it.each(['soon', '', '   ', '5 seconds', '1e3', '0x10', 'Wed, 32 Foo 2015', '1.5', '-1', '1 1'])(
    'returns undefined for the garbage %j',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it('returns undefined when there is no header', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatError } from '../../src/graphql/apollo.js';

const located = { locations: [{ line: 1, column: 3 }], path: ['customer'] };

describe('formatError', () => {
  it('passes an error with a code from the table through unchanged', () => {
    const formatted = {
      message: 'Partner Center refused access to this customer.',
      ...located,
      extensions: { code: 'FORBIDDEN', upstreamStatus: 403, upstreamCode: '20002' },
    };

    expect(formatError(formatted, new Error('x'), true)).toBe(formatted);
  });

  it('hides an unexpected error entirely in production', () => {
    const formatted = {
      message: 'Cannot read properties of undefined (reading "qualifications")',
      ...located,
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        stacktrace: ['TypeError: …', '    at src/x.ts:1'],
      },
    };

    expect(formatError(formatted, new TypeError('x'), true)).toEqual({
      message: 'Internal server error.',
      ...located,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps which customer an unexpected error was about, and nothing else, in production', () => {
    const formatted = {
      message: 'Cannot read properties of undefined (reading "qualifications")',
      ...located,
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        customerId: '10000000-0000-4000-8000-000000000001',
        stacktrace: ['TypeError: …'],
      },
    };

    expect(formatError(formatted, new TypeError('x'), true)).toEqual({
      message: 'Internal server error.',
      ...located,
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        customerId: '10000000-0000-4000-8000-000000000001',
      },
    });
  });

  it('keeps the message and stack of an unexpected error for developers', () => {
    const formatted = {
      message: 'boom',
      extensions: { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: boom'] },
    };

    expect(formatError(formatted, new Error('boom'), false)).toEqual(formatted);
  });

  it('turns a code outside the closed table into INTERNAL_SERVER_ERROR', () => {
    const formatted = { message: 'made up', extensions: { code: 'SOMETHING_ELSE' } };

    expect(formatError(formatted, new Error('made up'), true)).toEqual({
      message: 'Internal server error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it.each(['Unsupported persisted query version', 'provided sha does not match query'])(
    'gives the APQ mistake "%s" BAD_REQUEST with its message, also in production',
    (message) => {
      // As Apollo raises it: no code, only the HTTP status.
      const error = new GraphQLError(message, { extensions: { http: { status: 400 } } });
      const formatted = { message, extensions: { code: 'INTERNAL_SERVER_ERROR' } };

      expect(formatError(formatted, error, true)).toEqual({
        message,
        extensions: { code: 'BAD_REQUEST' },
      });
    },
  );

  it('keeps an error of ours with the same message INTERNAL_SERVER_ERROR', () => {
    const error = new Error('provided sha does not match query');
    const formatted = {
      message: 'provided sha does not match query',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };

    expect(formatError(formatted, error, true)).toEqual({
      message: 'Internal server error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});

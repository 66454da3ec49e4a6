import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  codeForUpstreamStatus,
  fromUpstream,
  isErrorCode,
  messageFor,
} from '../../src/graphql/errors.js';
import type { ErrorCode } from '../../src/graphql/errors.js';
import { deferred, UpstreamError } from '../../src/partner-center/upstream-error.js';

const SECRET_DESCRIPTION = 'Tenant 0f0f secret-description-from-upstream: token abc123';

describe('codeForUpstreamStatus', () => {
  it.each<[number, ErrorCode]>([
    [400, 'BAD_USER_INPUT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'FORBIDDEN'],
    // A 404 never reaches this table in the client (it resolves to null); as a status it is
    // an answer the gateway cannot use.
    [404, 'UPSTREAM_BAD_RESPONSE'],
    [405, 'UPSTREAM_BAD_RESPONSE'],
    [408, 'UPSTREAM_TIMEOUT'],
    [409, 'UPSTREAM_BAD_RESPONSE'],
    [429, 'RATE_LIMITED'],
    [500, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
    [503, 'UPSTREAM_UNAVAILABLE'],
    // A gateway timeout in front of Partner Center is an unavailable upstream, not our timeout.
    [504, 'UPSTREAM_UNAVAILABLE'],
  ])('maps %i to %s', (status, code) => {
    expect(codeForUpstreamStatus(status)).toBe(code);
  });

  it('returns a code from the closed table for any status', () => {
    for (let status = 100; status < 600; status += 1) {
      expect(isErrorCode(codeForUpstreamStatus(status))).toBe(true);
    }
  });
});

describe('fromUpstream', () => {
  it('maps a 429 with a retry hint to RATE_LIMITED with retryAfter', () => {
    const error = fromUpstream(
      new UpstreamError('status', `429 ${SECRET_DESCRIPTION}`, {
        status: 429,
        retryAfterSeconds: 30,
      }),
    );
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toBe('Partner Center is throttling requests; retry later.');
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', upstreamStatus: 429, retryAfter: 30 });
  });

  it('keeps a retry hint of zero', () => {
    const error = fromUpstream(
      new UpstreamError('status', 'throttled', { status: 429, retryAfterSeconds: 0 }),
    );
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', upstreamStatus: 429, retryAfter: 0 });
  });

  it('leaves retryAfter out of a 429 without a retry hint', () => {
    const error = fromUpstream(new UpstreamError('status', 'throttled', { status: 429 }));
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', upstreamStatus: 429 });
  });

  it('leaves retryAfter out of anything but RATE_LIMITED', () => {
    const error = fromUpstream(
      new UpstreamError('status', 'down', { status: 503, retryAfterSeconds: 60 }),
    );
    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 });
  });

  it('maps a deferred background poll, should one reach a client, to OVERLOADED with retryAfter', () => {
    const error = fromUpstream(deferred('no free slot a poll may take', 1_500), {
      customerId: 'c',
    });
    expect(error.message).toBe(
      'The gateway is at capacity and could not finish this in time; retry later.',
    );
    expect(error.extensions).toEqual({ code: 'OVERLOADED', retryAfter: 2, customerId: 'c' });
  });

  it('carries the Partner Center error code', () => {
    const error = fromUpstream(
      new UpstreamError('status', `403 ${SECRET_DESCRIPTION}`, {
        status: 403,
        upstreamCode: '600001',
      }),
    );
    expect(error.message).toBe('Partner Center refused access to this customer.');
    expect(error.extensions).toEqual({
      code: 'FORBIDDEN',
      upstreamStatus: 403,
      upstreamCode: '600001',
    });
  });

  it.each<[number, ErrorCode, string]>([
    [400, 'BAD_USER_INPUT', 'Partner Center rejected the request as invalid.'],
    [401, 'UNAUTHENTICATED', 'Partner Center did not accept the credentials.'],
    [408, 'UPSTREAM_TIMEOUT', 'Partner Center did not answer in time.'],
    [409, 'UPSTREAM_BAD_RESPONSE', 'Partner Center sent an answer the gateway cannot use.'],
    [500, 'UPSTREAM_UNAVAILABLE', 'Partner Center is unavailable.'],
    [504, 'UPSTREAM_UNAVAILABLE', 'Partner Center is unavailable.'],
  ])('maps a %i status to %s with its fixed message', (status, code, message) => {
    const error = fromUpstream(new UpstreamError('status', SECRET_DESCRIPTION, { status }));
    expect(error.message).toBe(message);
    expect(error.extensions).toEqual({ code, upstreamStatus: status });
  });

  it('treats a status failure without a status as a 502 but reports no upstreamStatus', () => {
    const error = fromUpstream(new UpstreamError('status', 'no status'));
    expect(error.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it.each<[UpstreamError['kind'], ErrorCode]>([
    ['timeout', 'UPSTREAM_TIMEOUT'],
    ['network', 'UPSTREAM_UNAVAILABLE'],
    ['aborted', 'UPSTREAM_UNAVAILABLE'],
    ['bad-response', 'UPSTREAM_BAD_RESPONSE'],
  ])('maps a %s failure to %s', (kind, code) => {
    const upstream = new UpstreamError(kind, SECRET_DESCRIPTION);
    const error = fromUpstream(upstream);
    expect(error.message).toBe(messageFor(code));
    expect(error.extensions).toEqual({ code });
    expect(error.originalError).toBe(upstream);
  });

  it('carries status and code for a non-status failure that has them', () => {
    const error = fromUpstream(
      new UpstreamError('bad-response', 'not JSON', { status: 200, upstreamCode: '42' }),
    );
    expect(error.extensions).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      upstreamStatus: 200,
      upstreamCode: '42',
    });
  });

  it('maps anything that is not an UpstreamError to INTERNAL_SERVER_ERROR', () => {
    const cause = new TypeError(SECRET_DESCRIPTION);
    const error = fromUpstream(cause);
    expect(error.message).toBe('Internal server error.');
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(error.originalError).toBe(cause);
  });

  it.each([
    ['a string', SECRET_DESCRIPTION],
    ['undefined', undefined],
    ['an object', { message: SECRET_DESCRIPTION }],
  ])('maps a thrown %s to INTERNAL_SERVER_ERROR without an original error', (_label, thrown) => {
    const error = fromUpstream(thrown);
    expect(error.message).toBe('Internal server error.');
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(error.originalError).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['status', new UpstreamError('status', SECRET_DESCRIPTION, { status: 429, upstreamCode: '1' })],
    ['timeout', new UpstreamError('timeout', SECRET_DESCRIPTION)],
    ['network', new UpstreamError('network', SECRET_DESCRIPTION)],
    ['aborted', new UpstreamError('aborted', SECRET_DESCRIPTION)],
    ['bad-response', new UpstreamError('bad-response', SECRET_DESCRIPTION)],
    ['non-upstream', new Error(SECRET_DESCRIPTION)],
  ])('never shows the upstream description to the client (%s)', (_label, thrown) => {
    const error = fromUpstream(thrown);
    const client = JSON.stringify(error.toJSON());
    expect(error.message).not.toContain('secret-description');
    expect(client).not.toContain('secret-description');
    expect(client).not.toContain('abc123');
  });
});

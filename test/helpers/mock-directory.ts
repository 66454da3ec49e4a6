import type { MockUpstream } from './mock-upstream.js';
import { UPSTREAM } from './apollo.js';

const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

/** Answers `body`, recording the call in `upstream.calls` as the qualification replies do. */
function recording(upstream: MockUpstream, body: unknown) {
  return (request: { path: string; headers?: unknown }) => {
    upstream.calls.push({
      path: request.path,
      headers: { ...(request.headers as Record<string, string>) },
    });
    return JSON.stringify(body);
  };
}

/** Partner Center's Customer resource, as the list and get-by-id answer it. */
export function customerJson(id: string, companyName: string, relationshipToPartner = 'reseller') {
  const domain = `${companyName.toLowerCase().replace(/[^a-z0-9]/g, '')}.onmicrosoft.com`;
  return {
    id,
    companyProfile: { tenantId: id, domain, companyName },
    relationshipToPartner,
    attributes: { objectType: 'Customer' },
  };
}

/** A `GET /v1/customers` answer; `next` is the next page's continuation token. */
export function pageJson(items: unknown[], next?: string, totalCount?: number) {
  return {
    totalCount: totalCount ?? items.length,
    items,
    links:
      next === undefined
        ? {}
        : {
            next: {
              uri: '/customers?size=2&seekOperation=next',
              method: 'GET',
              headers: [{ key: 'MS-ContinuationToken', value: next }],
            },
          },
    attributes: { objectType: 'Collection' },
  };
}

/**
 * Answers one list read at exactly `path` (query included), only when it carries `token` as its
 * `MS-ContinuationToken` (or, without `token`, whatever it carries: the test checks `calls`).
 */
export function replyToList(
  upstream: MockUpstream,
  path: string,
  status: number,
  body: unknown,
  token?: string,
): void {
  upstream.agent
    .get(UPSTREAM.origin)
    .intercept({
      path,
      method: 'GET',
      ...(token === undefined ? {} : { headers: { 'ms-continuationtoken': token } }),
    })
    .reply(status, recording(upstream, body), JSON_HEADERS);
}

/** Answers the next read of one customer's profile (`GET /v1/customers/{id}`). */
export function replyToProfile(
  upstream: MockUpstream,
  customerId: string,
  status: number,
  body: unknown,
): void {
  upstream.agent
    .get(UPSTREAM.origin)
    .intercept({ path: `/v1/customers/${customerId}`, method: 'GET' })
    .reply(status, recording(upstream, body), JSON_HEADERS);
}

import { Pool } from 'undici';

/**
 * The one process-wide keep-alive pool to Partner Center. With one request per connection at a
 * time, `connections` is also the bound on calls in flight across all GraphQL operations; the
 * rest wait in the pool's queue.
 */
export function createUpstreamPool(baseUrl: URL, maxConcurrency: number): Pool {
  return new Pool(baseUrl.origin, {
    connections: maxConcurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
  });
}

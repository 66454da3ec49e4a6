import { Pool } from 'undici';

/**
 * The one process-wide keep-alive pool to Partner Center. The bound on calls in flight is the
 * HTTP client's `InFlightLimit` (`maxConcurrency`); the pool may hold twice as many connections
 * because undici hands a connection on only an event-loop turn after its response ended, and a
 * call freed by that response should not wait for it. Idle connections close after 30 s.
 */
export function createUpstreamPool(baseUrl: URL, maxConcurrency: number): Pool {
  return new Pool(baseUrl.origin, {
    connections: 2 * maxConcurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
  });
}

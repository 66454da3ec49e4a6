import { MockAgent } from 'undici';
import { UPSTREAM } from './apollo.js';

export interface SeenCall {
  readonly path: string;
  readonly headers: Record<string, string>;
}

export interface MockUpstream {
  readonly agent: MockAgent;
  /** Every call the gateway made, in order. */
  readonly calls: SeenCall[];
  /** Answers the next `times` reads of one customer's qualifications. */
  reply(
    customerId: string,
    status: number,
    body: unknown,
    options?: { headers?: Record<string, string>; times?: number; delayMs?: number },
  ): void;
  /** Fails the next read of one customer at the connection level. */
  failConnection(customerId: string): void;
  /** Throws when an interceptor set up by the test was not used, then closes the agent. */
  close(): Promise<void>;
}

/** An undici MockAgent standing in for Partner Center; the network is off. */
export function createMockUpstream(): MockUpstream {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(UPSTREAM.origin);
  const calls: SeenCall[] = [];
  const path = (id: string) => `/v1/customers/${id}/qualifications`;

  return {
    agent,
    calls,
    reply(customerId, status, body, options = {}) {
      const scope = pool.intercept({ path: path(customerId), method: 'GET' }).reply(
        status,
        (request) => {
          calls.push({
            path: request.path,
            headers: { ...(request.headers as Record<string, string>) },
          });
          return typeof body === 'string' ? body : JSON.stringify(body);
        },
        { headers: { 'content-type': 'application/json', ...options.headers } },
      );
      if (options.delayMs !== undefined) scope.delay(options.delayMs);
      scope.times(options.times ?? 1);
    },
    failConnection(customerId) {
      pool
        .intercept({ path: path(customerId), method: 'GET' })
        .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    },
    async close() {
      try {
        agent.assertNoPendingInterceptors();
      } finally {
        await agent.close();
      }
    },
  };
}

export interface SeenWrite {
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** Answers the next `times` creates for one customer, recording what was sent. */
export function replyToCreate(
  upstream: MockUpstream,
  customerId: string,
  status: number,
  body: unknown,
  seen: SeenWrite[],
  options: { times?: number; delayMs?: number } = {},
): void {
  const scope = upstream.agent
    .get(UPSTREAM.origin)
    .intercept({ path: `/v1/customers/${customerId}/qualifications`, method: 'POST' })
    .reply(
      status,
      (request) => {
        seen.push({
          headers: { ...(request.headers as Record<string, string>) },
          body: JSON.parse(typeof request.body === 'string' ? request.body : '') as unknown,
        });
        return body === undefined ? '' : JSON.stringify(body);
      },
      { headers: { 'content-type': 'application/json' } },
    );
  if (options.delayMs !== undefined) scope.delay(options.delayMs);
  scope.times(options.times ?? 1);
}

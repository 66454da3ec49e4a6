import { afterEach, beforeEach } from 'vitest';
import { createTestApollo, type TestApollo } from './apollo.js';
import { testConfig } from './config.js';
import { createMockUpstream, type MockUpstream } from './mock-upstream.js';

export interface MockedGateway {
  /** This test's Partner Center stand-in. */
  readonly upstream: MockUpstream;
  /** This test's Apollo Server over it, with the real context factory. */
  readonly gateway: TestApollo;
}

/**
 * For every test of the file: a fresh MockAgent Partner Center and an Apollo Server over it with
 * `testConfig(env)`. After each test the server stops and the upstream closes, which fails the
 * test if an interceptor it set up went unused.
 */
export function mockedGatewayPerTest(env: Record<string, string> = {}): MockedGateway {
  let current: MockedGateway | undefined;
  beforeEach(async () => {
    const upstream = createMockUpstream();
    current = { upstream, gateway: await createTestApollo(upstream.agent, testConfig(env)) };
  });
  afterEach(async () => {
    await current?.gateway.server.stop();
    await current?.upstream.close();
    current = undefined;
  });
  const now = (): MockedGateway => {
    if (current === undefined) throw new Error('only inside a test');
    return current;
  };
  return {
    get upstream() {
      return now().upstream;
    },
    get gateway() {
      return now().gateway;
    },
  };
}

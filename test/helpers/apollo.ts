import type { ApolloServer } from '@apollo/server';
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { createApolloServer } from '../../src/graphql/apollo.js';
import type { Config } from '../../src/config.js';
import { createContextFactory, type Context } from '../../src/graphql/context.js';
import { createUpstream } from '../../src/gateway.js';
import { createSchema } from '../../src/graphql/schema.js';
import { captureLogs, type CapturedLogs } from './log-capture.js';

export const UPSTREAM = new URL('https://partner-center.test');
export const TOKEN = 'Bearer test-user-token';

export interface TestApollo {
  readonly server: ApolloServer<Context>;
  readonly logs: CapturedLogs;
  /** Runs one operation through `executeOperation` with the real context factory. */
  execute(
    query: string,
    variables?: Record<string, unknown>,
    headers?: IncomingHttpHeaders,
  ): Promise<{ status: number | undefined; body: Record<string, unknown> }>;
}

/** Apollo Server with the real schema, context factory and upstream client over `dispatcher`. */
export async function createTestApollo(
  dispatcher: Dispatcher,
  config: Config,
): Promise<TestApollo> {
  const logs = captureLogs();
  const { api } = createUpstream(config, UPSTREAM, dispatcher, logs.logger);
  const createContext = createContextFactory({
    api,
    logger: logs.logger,
    maxCustomerIds: config.maxCustomerIds,
    operationTimeoutMs: config.operationTimeoutMs,
  });
  const server = createApolloServer({ schema: createSchema(), config, logger: logs.logger });
  await server.start();
  return {
    server,
    logs,
    async execute(query, variables = {}, headers = { authorization: TOKEN }) {
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: await createContext({ headers }) },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      return {
        status: response.http.status,
        body: JSON.parse(JSON.stringify(response.body.singleResult)) as Record<string, unknown>,
      };
    },
  };
}

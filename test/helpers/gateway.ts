import type { Dispatcher } from 'undici';
import { createGateway, type Gateway } from '../../src/gateway.js';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../src/simulator/server.js';
import { testConfig } from './config.js';
import { captureLogs, type CapturedLogs } from './log-capture.js';

export interface RunningGateway {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly graphqlUrl: string;
  readonly gateway: Gateway;
  readonly simulator: Simulator;
  readonly logs: CapturedLogs;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly env?: Record<string, string>;
  readonly simulator?: SimulatorOptions;
  /** As `npm start` does against the simulator: callers without a token use a demo one. */
  readonly fallbackAuthorization?: string;
  /** For the sign-in authority and the JWKS (a fake authority's CA-trusting agent). */
  readonly identityDispatcher?: Dispatcher;
  /** Another gateway's simulator: replicas in front of one Partner Center (closed by its owner). */
  readonly sharedSimulator?: Simulator;
  /** Between multipart subscription heartbeats (the gateway's 5 s otherwise). */
  readonly multipartHeartbeatMs?: number;
  /** graphql-ws's wait for `connection_init` and between pings (10 s and 12 s otherwise). */
  readonly subscriptionInitWaitMs?: number;
  readonly subscriptionPingMs?: number;
  /** The gateway's clock (GatewayDeps `now`): the audit feed's dates, caller token expiry. */
  readonly now?: () => number;
}

/** Redis on a shared, loaded test machine can take longer than production's 100 ms bound. */
const TEST_REDIS_COMMAND_TIMEOUT_MS = 2_000;

/** The real gateway over real HTTP on port 0, against the simulator on port 0. */
export async function startGateway(options: StartOptions = {}): Promise<RunningGateway> {
  const simulator =
    options.sharedSimulator ?? (await startSimulator({ port: 0, ...options.simulator }));
  const logs = captureLogs();
  const gateway = await createGateway({
    config: testConfig(options.env),
    baseUrl: simulator.url,
    logger: logs.logger,
    fallbackAuthorization: options.fallbackAuthorization,
    redisCommandTimeoutMs: TEST_REDIS_COMMAND_TIMEOUT_MS,
    ...(options.multipartHeartbeatMs === undefined
      ? {}
      : { multipartHeartbeatMs: options.multipartHeartbeatMs }),
    ...(options.subscriptionInitWaitMs === undefined
      ? {}
      : { subscriptionInitWaitMs: options.subscriptionInitWaitMs }),
    ...(options.subscriptionPingMs === undefined
      ? {}
      : { subscriptionPingMs: options.subscriptionPingMs }),
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.identityDispatcher === undefined
      ? {}
      : { identityDispatcher: options.identityDispatcher }),
  });
  const origin = await gateway.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    origin,
    graphqlUrl: `${origin}/graphql`,
    gateway,
    simulator,
    logs,
    async close() {
      await gateway.close();
      if (options.sharedSimulator === undefined) await simulator.close();
    },
  };
}

export interface GraphQLResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** POSTs one operation as a frontend would. */
export async function postGraphQL(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = { authorization: 'Bearer e2e-token' },
  signal?: AbortSignal,
): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    ...(signal === undefined ? {} : { signal }),
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

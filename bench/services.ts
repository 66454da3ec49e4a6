import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { deathOf, track, type Tracked } from './child-processes.js';

/**
 * Starts the built simulator and gateway (dist/) as separate `node` processes on loopback, the
 * way production runs them, and waits until each answers.
 */

export interface Service {
  readonly process: Tracked;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 20_000;

/**
 * A port nobody listens on right now. Both services run at LOG_LEVEL=warn, where they do not log
 * the address they listen on, so the benchmark picks the port. (At info the gateway would also
 * log every operation, which would be part of what is measured.)
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from listen(0)');
  return address.port;
}

/**
 * Only what the services need, not the caller's environment: a PARTNER_CENTER_AUTH, an OTLP
 * endpoint or NODE_OPTIONS left in a shell would change what is measured.
 */
function environment(vars: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '', HOST, ...vars };
}

function startNode(
  name: string,
  script: string,
  vars: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Tracked {
  return track(
    name,
    spawn(process.execPath, [...nodeArgs, script], {
      env: environment(vars),
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

async function waitUntilAnswering(service: Service, path: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const ready = (async () => {
    for (;;) {
      try {
        const response = await fetch(service.origin + path);
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${service.process.name} did not answer ${path} within ${START_TIMEOUT_MS} ms:\n${service.process.output()}`,
        );
      }
      await sleep(50);
    }
  })();
  await Promise.race([ready, deathOf(service.process, 'while starting')]);
}

export async function startSimulator(latencyMs: number): Promise<Service> {
  const port = await freePort();
  const child = startNode('simulator', 'dist/simulator/main.js', {
    SIMULATOR_PORT: String(port),
    SIMULATOR_LATENCY_MS: String(latencyMs),
    // Runs outlast a review: decisions would change the mix of answers between rounds.
    SIMULATOR_VETTING_SECONDS: '0',
    LOG_LEVEL: 'warn',
  });
  const service = { process: child, origin: `http://${HOST}:${port}` };
  await waitUntilAnswering(service, '/_simulator/stats');
  return service;
}

/**
 * The `node` flags `npm start` runs the gateway with (a unit test keeps the two the same): a
 * young generation large enough that an operation's short-lived objects die young instead of
 * being promoted. The references run with Node's defaults.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

export interface GatewayOptions {
  readonly partnerCenterOrigin: string;
  readonly upstreamMaxConcurrency: number;
  /** `KEY=VALUE` overrides from `--gateway-env`, for experiments. */
  readonly extraEnv: Readonly<Record<string, string>>;
  /** e.g. `--cpu-prof`, from `--cpu-prof <dir>`. */
  readonly nodeArgs: readonly string[];
  /** A bench/reference/ script to run (with tsx) instead of the gateway. */
  readonly reference?: string | undefined;
  /** Another build of the gateway (another commit's `dist/main.js`); default this one's. */
  readonly script?: string | undefined;
}

export async function startGateway(options: GatewayOptions): Promise<Service> {
  const port = await freePort();
  const child = startNode(
    options.reference === undefined ? 'gateway' : 'reference',
    options.reference ?? options.script ?? 'dist/main.js',
    {
      PORT: String(port),
      PARTNER_CENTER_BASE_URL: options.partnerCenterOrigin,
      UPSTREAM_MAX_CONCURRENCY: String(options.upstreamMaxConcurrency),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...options.extraEnv,
    },
    options.reference === undefined
      ? [...GATEWAY_NODE_FLAGS, ...options.nodeArgs]
      : ['--import', 'tsx', ...options.nodeArgs],
  );
  const service = { process: child, origin: `http://${HOST}:${port}` };
  // /readyz, not /healthz: ready means the Apollo server has started too.
  await waitUntilAnswering(service, '/readyz');
  return service;
}

/**
 * Debian's `redis-server` for W6 and W7, on a free loopback port with persistence off: the
 * gateways' shared tier, budget and holds. `redis-cli` is not needed: the gateways' readiness does not wait for Redis, so
 * this waits for the server's own "ready" line.
 */
export async function startRedis(): Promise<Service & { readonly url: string }> {
  const port = await freePort();
  const child = track(
    'redis-server',
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'],
      { env: environment({}), stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!child.output().includes('Ready to accept connections')) {
    if (Date.now() > deadline) throw new Error(`redis-server did not start:\n${child.output()}`);
    await Promise.race([sleep(20), deathOf(child, 'while starting')]);
  }
  return { process: child, origin: `redis://${HOST}:${port}`, url: `redis://${HOST}:${port}` };
}

export interface SimulatorStats {
  readonly reads: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
}

export async function simulatorStats(simulator: Service): Promise<SimulatorStats> {
  const response = await fetch(`${simulator.origin}/_simulator/stats`);
  if (!response.ok) throw new Error(`simulator stats: HTTP ${response.status}`);
  return (await response.json()) as SimulatorStats;
}

/**
 * Waits for calls still in flight after the warm-up (an operation the load generator gave up on
 * may still be reading), then zeroes the simulator's counters.
 */
export async function quiesceAndReset(simulator: Service): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await simulatorStats(simulator)).inFlight > 0 && Date.now() < deadline) await sleep(20);
  const response = await fetch(`${simulator.origin}/_simulator/reset`, { method: 'POST' });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`simulator reset: HTTP ${response.status}`);
}

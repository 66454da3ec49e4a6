import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeWarnings, warningsIn } from './process-warnings.js';

export interface HiveGateway {
  /** `http://127.0.0.1:PORT/graphql` */
  readonly graphqlUrl: string;
  /** Stops it; rejects if it printed a process warning meanwhile (see process-warnings.ts). */
  stop(): Promise<void>;
}

/** What the router forwards from its caller to every subgraph (the list in docs/federation-and-routers.md). */
export const PROPAGATED_HEADERS = ['authorization', 'ms-correlationid', 'traceparent'] as const;

/** The subgraph whose subscriptions Hive Gateway takes over graphql-ws: this gateway's name in the supergraph. */
export const WS_SUBGRAPH = 'qualifications';

export interface HiveGatewayOptions {
  /** The router's secret: sent to every subgraph as `Router-Authorization`, on HTTP and the socket. */
  readonly routerSecret?: string;
}

// Plain ESM, so the gateway's own loader reads it without a TypeScript step.
const CONFIG = `
const PROPAGATED = ${JSON.stringify(PROPAGATED_HEADERS)};
const SECRET = process.env.ROUTER_SECRET;
export const gatewayConfig = {
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      ...Object.fromEntries(
        PROPAGATED.flatMap((name) => {
          const value = request.headers.get(name);
          return value === null ? [] : [[name, value]];
        }),
      ),
      ...(SECRET ? { 'router-authorization': SECRET } : {}),
    }),
  },
  // Apollo Server subgraphs speak graphql-ws, not Hive Gateway's default GraphQL over SSE.
  transportEntries: {
    ${JSON.stringify(WS_SUBGRAPH)}: {
      options: {
        subscriptions: {
          kind: 'ws',
          options: {
            // An empty value (no such header, no secret) is left out.
            connectionParams: {
              authorization: '{context.headers.authorization}',
              'Router-Authorization': '{env.ROUTER_SECRET}',
            },
          },
        },
      },
    },
  },
};
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The installed `hive-gateway` bin, run with this node (npx would leave its child running). */
function binPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@graphql-hive/gateway/package.json')), 'dist', 'bin.js');
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Hive Gateway serving `supergraphSdl` on a free loopback port, forwarding
 * `PROPAGATED_HEADERS` (and the router secret, if given), subscribing to this subgraph over graphql-ws. Resolves once it answers its readiness check.
 */
export async function startHiveGateway(
  supergraphSdl: string,
  options: HiveGatewayOptions = {},
): Promise<HiveGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'hive-gateway-'));
  const supergraph = join(dir, 'supergraph.graphql');
  const config = join(dir, 'gateway.config.mjs');
  await writeFile(supergraph, supergraphSdl);
  await writeFile(config, CONFIG);
  const port = await freePort();
  // The secret is this call's to give, never inherited.
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NODE_ENV: 'test' };
  delete env['ROUTER_SECRET'];
  if (options.routerSecret !== undefined) env['ROUTER_SECRET'] = options.routerSecret;
  const child = spawn(
    process.execPath,
    [binPath(), 'supergraph', supergraph, '--config-path', config, '--host', '127.0.0.1'],
    {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
    const warnings = warningsIn(output);
    if (warnings.length > 0) {
      throw new Error(`Hive Gateway printed process warnings:\n${describeWarnings(warnings)}`);
    }
  };

  // A slow shared machine can take many seconds to load the gateway's modules.
  for (let waited = 0; waited < 90_000; waited += 250) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${origin}/readiness`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { graphqlUrl: `${origin}/graphql`, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`Hive Gateway did not become ready:\n${output}`);
}

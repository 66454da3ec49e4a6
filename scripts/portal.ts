// `npm run portal`: the gateway on the built-in Partner Center simulator and the example portal
// (examples/portal) on its own origin, allowed through CORS_ORIGINS, as a frontend team would
// run them side by side. Prints the portal's URL; Ctrl-C stops both.
//
// PORT (4000) is the gateway's port, PORTAL_PORT (5173) the portal's; either may be 0 for a
// free port. The gateway gets its settings only through its own environment.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { GATEWAY_NODE_FLAGS } from '../bench/services.js';
import { buildPortal } from '../examples/portal/server/build-portal.js';
import { startPortalServer } from '../examples/portal/server/static-server.js';

const env = process.env;
const PORTAL_DIR = new URL('../dist/portal', import.meta.url).pathname;

const built = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
await buildPortal(PORTAL_DIR);

let gatewayUrl: string | undefined;
const portal = await startPortalServer({
  dir: PORTAL_DIR,
  port: Number(env['PORTAL_PORT'] ?? 5173),
  host: 'localhost',
  gatewayUrl: () => gatewayUrl,
});
const portalPort = new URL(portal.origin).port;

const gatewayEnv: NodeJS.ProcessEnv = {
  ...env,
  PORT: env['PORT'] ?? '4000',
  // A browser may open the portal by either loopback name; each is its own origin.
  CORS_ORIGINS: `http://localhost:${portalPort},http://127.0.0.1:${portalPort}`,
  // Vetting decided within a minute and watched every few seconds, so the customer page shows
  // a live change while someone looks at it (both stay overridable).
  SIMULATOR_VETTING_SECONDS: env['SIMULATOR_VETTING_SECONDS'] ?? '30',
  WATCH_POLL_IN_REVIEW_SECONDS: env['WATCH_POLL_IN_REVIEW_SECONDS'] ?? '5',
};
// The portal has no sign-in: it runs against the simulator, which stands in a demo token.
delete gatewayEnv['PARTNER_CENTER_BASE_URL'];

// With the node flags `npm start` uses (a test holds `npm start` to the same list).
const gateway = spawn(process.execPath, [...GATEWAY_NODE_FLAGS, 'dist/main.js'], {
  env: gatewayEnv,
  stdio: ['ignore', 'pipe', 'inherit'],
});
createInterface({ input: gateway.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  const url = listeningUrl(line);
  if (url === undefined) return;
  // The gateway logs the address it bound; the portal calls it by the name it is served under.
  url.hostname = 'localhost';
  gatewayUrl = url.href;
  process.stdout.write(
    `\nPortal: ${portal.origin}/  (gateway ${gatewayUrl}, on the simulator)\n\n`,
  );
});

/** The URL in the gateway's "listening" log line, if this is that line. */
function listeningUrl(line: string): URL | undefined {
  try {
    const entry: unknown = JSON.parse(line);
    if (typeof entry !== 'object' || entry === null || !('url' in entry) || !('msg' in entry)) {
      return undefined;
    }
    const { url, msg } = entry;
    return typeof url === 'string' && msg === `GraphQL gateway listening on ${url}`
      ? new URL(url)
      : undefined;
  } catch {
    return undefined;
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => gateway.kill(signal));
}
gateway.once('exit', (code) => {
  void portal.close().finally(() => process.exit(code ?? 1));
});

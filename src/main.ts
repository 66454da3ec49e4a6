import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './observability/logger.js';
import { createGateway } from './gateway.js';
import { SAMPLE_CUSTOMER_IDS } from './simulator/data.js';
import { startSimulator, type Simulator } from './simulator/server.js';
import { startTracing } from './observability/tracing.js';
import { waitUntilReady } from './redis/wait-ready.js';
import { CUT_ANSWER_MS, IDLE_LINGER_MS } from './http/drain.js';

/** How long start-up waits for Redis before listening (then the budget starts out local). */
const REDIS_START_WAIT_MS = 5_000;

/** Stands in for a caller's token when the upstream is the built-in simulator. */
const SIMULATOR_DEMO_AUTHORIZATION = 'Bearer simulator-demo-token';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = createLogger(config.logLevel);
const tracing = startTracing({ otlpTracesUrl: config.otlpTracesUrl });
if (config.otlpTracesUrl !== undefined) {
  logger.info({ url: config.otlpTracesUrl.href }, 'exporting traces over OTLP/HTTP');
}

let simulator: Simulator | undefined;
if (config.partnerCenterBaseUrl === undefined) {
  simulator = await startSimulator({
    port: 0,
    latencyMs: config.simulatorLatencyMs,
    vettingSeconds: config.simulatorVettingSeconds,
  });
  logger.info(
    { simulatorUrl: simulator.url.href },
    `PARTNER_CENTER_BASE_URL is not set: using the built-in Partner Center simulator at ${simulator.url.href}`,
  );
}
const baseUrl = config.partnerCenterBaseUrl ?? (simulator as Simulator).url;

const server = await createGateway({
  config,
  baseUrl,
  logger,
  fallbackAuthorization: simulator === undefined ? undefined : SIMULATOR_DEMO_AUTHORIZATION,
});

// Fetch the first app token now rather than on the first request; readiness waits for it.
void server.appToken?.authorization().catch(() => undefined);

// Listening before Redis answers would let the first calls spend a replica's own budget only.
if (server.redis !== undefined && !(await waitUntilReady(server.redis, REDIS_START_WAIT_MS))) {
  logger.warn(
    { waitedMs: REDIS_START_WAIT_MS },
    'Redis not reachable at start: listening anyway; the call budget is per replica until it is',
  );
}

const address = await server.app.listen({ port: config.port, host: config.host });
const graphqlUrl = `${address}/graphql`;
logger.info({ url: graphqlUrl }, `GraphQL gateway listening on ${graphqlUrl}`);
if (config.sandboxEnabled) logger.info({}, `Open ${graphqlUrl} in a browser for Apollo Sandbox`);
if (simulator !== undefined) {
  const query = JSON.stringify({
    query: `{ customer(id: "${SAMPLE_CUSTOMER_IDS.educationInReview}") { id qualifications { qualification vettingStatus vettingCreatedDate } } }`,
  });
  logger.info({}, `Try: curl -s ${graphqlUrl} -H 'content-type: application/json' -d '${query}'`);
}

let stopping = false;
/**
 * Every request received gets an answer: connections end after their next answer (with
 * `Connection: close`), and what still runs when `SHUTDOWN_GRACE_MS` is over is cut short with
 * `SHUTTING_DOWN` and given `CUT_ANSWER_MS` to send it. Only then is the exit forced.
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const graceMs = config.shutdownGraceMs;
  logger.info({ signal, graceMs }, 'shutting down: draining requests in flight');
  // Unref'd: it fires only if the process is still there at the end of the grace (answering, or
  // closing its pools), and bounds the whole shutdown, which the orchestrator's grace must exceed.
  setTimeout(() => {
    const operations = server.cutOperationsShort();
    if (operations > 0) {
      logger.warn(
        { graceMs, operations },
        'shutdown grace period over: answering the operations still running with SHUTTING_DOWN',
      );
    }
    setTimeout(() => {
      logger.error({ graceMs, answerMs: CUT_ANSWER_MS }, 'shutdown took too long; exiting');
      process.exit(1);
    }, CUT_ANSWER_MS).unref();
  }, graceMs).unref();
  // The subscriptions are ended within the grace, whatever still runs then.
  await server.drain(Math.min(IDLE_LINGER_MS, graceMs), graceMs);
  await server.close();
  await simulator?.close();
  await tracing.shutdown();
  logger.info({}, 'shut down');
  // With every server and pool closed the process ends by itself, after pino has written
  // its last lines; process.exit() here could cut them off.
  process.exitCode = 0;
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => void shutdown(signal));
}

import { loadConfig } from '../config.js';
import { createLogger } from '../observability/logger.js';
import { startSimulator } from './server.js';

// `npm run simulator`: the Partner Center simulator on its own, for curl or another gateway.
const config = loadConfig();
const logger = createLogger(config.logLevel);
const simulator = await startSimulator({
  port: config.simulatorPort,
  host: config.host,
  latencyMs: config.simulatorLatencyMs,
  vettingSeconds: config.simulatorVettingSeconds,
});
logger.info(
  { url: simulator.url.href },
  `Partner Center simulator listening on ${simulator.url.href}`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void simulator.close().then(() => process.exit(0));
  });
}

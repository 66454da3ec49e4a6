// `npm run demo:audit`: app mode against the simulator, with a stand-in sign-in authority on
// loopback, so the audit feed can be watched at work (docs/cache.md, "The audit feed"). Not for production.
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { createLogger } from '../src/observability/logger.js';
import { SAMPLE_CUSTOMER_IDS } from '../src/simulator/data.js';
import { startSimulator } from '../src/simulator/server.js';
import { startFakeAuthority } from '../test/helpers/fake-authority.js';

const ROUTER_SECRET = 'demo-router-secret-0123456789';
const authority = await startFakeAuthority();
const simulator = await startSimulator({ port: 0, vettingSeconds: 0 });
const config = loadConfig({
  PARTNER_CENTER_BASE_URL: simulator.url.href,
  PARTNER_CENTER_AUTH: 'app',
  AZURE_AUTHORITY_HOST: authority.url.href,
  AZURE_TENANT_ID: '11111111-2222-4333-8444-555555555555',
  AZURE_CLIENT_ID: 'demo-app',
  AZURE_CLIENT_SECRET: 'demo-secret',
  ROUTER_SECRET,
  CACHE_MAX_AGE_SECONDS: '3600',
  AUDIT_POLL_SECONDS: '5',
  PORT: '4000',
  LOG_LEVEL: 'info',
});
const logger = createLogger(config.logLevel);
const gateway = await createGateway({
  config,
  baseUrl: simulator.url,
  logger,
  identityDispatcher: authority.dispatcher,
});
const origin = await gateway.app.listen({ port: config.port, host: '127.0.0.1' });
const id = SAMPLE_CUSTOMER_IDS.noQualifications;
const query = JSON.stringify({
  query: `{ customer(id: "${id}") { companyName qualifications { qualification } } }`,
});
logger.info(
  {},
  [
    `Audit demo: gateway ${origin}/graphql (app mode, cache 3600 s), simulator ${simulator.url.href}`,
    `1. Read:   curl -s ${origin}/graphql -H 'content-type: application/json' -H 'router-authorization: ${ROUTER_SECRET}' -d '${query}'`,
    `2. Change it elsewhere: curl -s -X POST ${simulator.url.href}_simulator/customers/${id}/qualifications -d '{"qualification":"StateOwnedEntity"}'`,
    `   or rename: curl -s -X POST ${simulator.url.href}_simulator/customers/${id}/company-name -d '{"companyName":"Adventure Works Bikes"}'`,
    `3. Within ${config.auditPollSeconds} s the read shows it; ${origin}/metrics has pcgw_audit_*.`,
  ].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (async () => {
      await gateway.close();
      await simulator.close();
      await authority.close();
      process.exit(0);
    })();
  });
}

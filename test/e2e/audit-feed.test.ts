import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';
import { startFakeAuthority, type FakeAuthority } from '../helpers/fake-authority.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';
import { parsePrometheus, sampleValue } from '../helpers/prometheus.js';
import { startRedis, type TestRedis } from '../helpers/redis-server.js';

const ROUTER_SECRET = 'router-secret-0123456789abcdef';
const FROM_ROUTER = { 'router-authorization': ROUTER_SECRET };
const CHANGED = SAMPLE_CUSTOMER_IDS.noQualifications;
const OTHER = SAMPLE_CUSTOMER_IDS.educationApproved;
const AUDIT_ROUTE = 'GET /v1/auditrecords';

const READ = /* GraphQL */ `
  query Read($id: ID!) {
    customer(id: $id) {
      qualifications {
        qualification
      }
    }
  }
`;
const WATCH = /* GraphQL */ `
  subscription Watch($ids: [ID!]!) {
    customerQualificationsChanged(ids: $ids) {
      id
      qualifications {
        qualification
      }
    }
  }
`;

let authority: FakeAuthority;
let redis: TestRedis;
let simulator: Simulator;
const running: RunningGateway[] = [];

function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PARTNER_CENTER_AUTH: 'app',
    AZURE_AUTHORITY_HOST: authority.url.href,
    AZURE_TENANT_ID: '11111111-2222-4333-8444-555555555555',
    AZURE_CLIENT_ID: 'gateway-app',
    AZURE_CLIENT_SECRET: 'client-secret-value-do-not-log',
    ROUTER_SECRET,
    REDIS_URL: redis.url,
    CACHE_MAX_AGE_SECONDS: '3600',
    AUDIT_POLL_SECONDS: '1',
    // The watch's own polls would find the change by themselves only an hour later.
    WATCH_POLL_SECONDS: '3600',
    WATCH_POLL_IN_REVIEW_SECONDS: '3600',
    ...extra,
  };
}

async function replica(extra: Record<string, string> = {}): Promise<RunningGateway> {
  const gateway = await startGateway({
    env: appEnv(extra),
    identityDispatcher: authority.dispatcher,
    sharedSimulator: simulator,
  });
  running.push(gateway);
  await until(() => gateway.gateway.redis?.isReady() === true);
  return gateway;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function kinds(gateway: RunningGateway, id: string) {
  const { body } = await postGraphQL(gateway.graphqlUrl, READ, { id }, FROM_ROUTER);
  const customer = (body['data'] as { customer: { qualifications: { qualification: string }[] } })
    .customer;
  return customer.qualifications.map((q) => q.qualification);
}

async function metric(gateway: RunningGateway, name: string, labels: Record<string, string>) {
  const text = await (await fetch(`${gateway.origin}/metrics`)).text();
  return sampleValue(parsePrometheus(text), name, labels) ?? 0;
}

const auditReads = () => simulator.stats.routes[AUDIT_ROUTE] ?? 0;

beforeAll(async () => {
  authority = await startFakeAuthority();
  redis = await startRedis();
  simulator = await startSimulator({ port: 0, vettingSeconds: 0 });
});
async function closeReplicas() {
  for (const gateway of running.splice(0)) await gateway.close();
}

afterAll(async () => {
  await closeReplicas();
  await simulator.close();
  await redis.stop();
  await authority.close();
}, 60_000);

describe('the audit feed, two replicas sharing Redis', () => {
  it('a qualification changed elsewhere shows on both replicas and reaches a watcher within an audit interval, with one audit read per interval; a restart replays nothing', async () => {
    const a = await replica();
    const b = await replica();
    expect(await kinds(a, CHANGED)).toEqual([]);
    expect(await kinds(b, CHANGED)).toEqual([]);

    const events: string[][] = [];
    const client: Client = createClient({
      url: b.graphqlUrl.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { 'Router-Authorization': ROUTER_SECRET },
      retryAttempts: 0,
    });
    const stop = client.subscribe(
      { query: WATCH, variables: { ids: [CHANGED] } },
      {
        next: (event) => {
          const customer = (
            event.data as {
              customerQualificationsChanged: { qualifications: { qualification: string }[] };
            }
          ).customerQualificationsChanged;
          events.push(customer.qualifications.map((q) => q.qualification));
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    await until(() => events.length === 1);

    const readsBefore = auditReads();
    const startedAt = Date.now();
    const changed = await fetch(
      new URL(`/_simulator/customers/${CHANGED}/qualifications`, simulator.url),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ qualification: 'StateOwnedEntity' }),
      },
    );
    expect(changed.status).toBe(201);

    await until(async () => (await kinds(a, CHANGED)).length === 1);
    await until(async () => (await kinds(b, CHANGED)).length === 1);
    await until(() => events.length === 2);
    expect(await kinds(a, CHANGED)).toEqual(['STATE_OWNED_ENTITY']);
    expect(await kinds(b, CHANGED)).toEqual(['STATE_OWNED_ENTITY']);
    expect(events).toEqual([[], ['STATE_OWNED_ENTITY']]);
    stop();
    await client.dispose();

    // One reader for the fleet: no more reads than intervals gone by (plus the one under way).
    const seconds = (Date.now() - startedAt) / 1000;
    expect(auditReads() - readsBefore).toBeGreaterThanOrEqual(1);
    expect(auditReads() - readsBefore).toBeLessThanOrEqual(Math.floor(seconds) + 2);
    const applied =
      (await metric(a, 'pcgw_audit_records_total', {
        operation: 'update_customer_qualification',
        outcome: 'applied',
      })) +
      (await metric(b, 'pcgw_audit_records_total', {
        operation: 'update_customer_qualification',
        outcome: 'applied',
      }));
    expect(applied).toBe(1);

    // The fleet restarted on the same Redis: its first read replays nothing of it.
    await closeReplicas();
    const c = await replica();
    await until(async () => (await metric(c, 'pcgw_audit_reads_total', { result: 'ok' })) >= 1);
    expect(
      await metric(c, 'pcgw_audit_records_total', {
        operation: 'update_customer_qualification',
        outcome: 'applied',
      }),
    ).toBe(0);
  }, 90_000);

  it('a 429 on the audit read is counted and retried later, and interactive reads are unaffected', async () => {
    const a = running[0] ?? (await replica());
    await replica();
    const throttledBefore = (
      await Promise.all(
        running.map((g) => metric(g, 'pcgw_audit_reads_total', { result: 'throttled' })),
      )
    ).reduce((sum, n) => sum + n, 0);
    simulator.setFault('auditrecords', 'throttled');
    await until(async () => {
      const counts = await Promise.all(
        running.map((g) => metric(g, 'pcgw_audit_reads_total', { result: 'throttled' })),
      );
      return counts.reduce((sum, n) => sum + n, 0) > throttledBefore;
    });
    const { status, body } = await postGraphQL(a.graphqlUrl, READ, { id: OTHER }, FROM_ROUTER);
    expect([status, body]).toEqual([
      200,
      { data: { customer: { qualifications: [{ qualification: 'EDUCATION' }] } } },
    ]);
    simulator.setFault('auditrecords', undefined);
  });
});

describe('user mode', () => {
  it('makes no audit reads', async () => {
    await closeReplicas();
    const before = auditReads();
    const user = await startGateway({
      env: { AUDIT_POLL_SECONDS: '1' },
      sharedSimulator: simulator,
    });
    running.push(user);
    expect(user.gateway.auditFeed).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(auditReads()).toBe(before);
  }, 60_000);
});

import { readdirSync, readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { CUT_ANSWER_MS } from '../../src/http/drain.js';
import { SUBSCRIPTIONS_PATH } from '../../src/subscriptions/ws-server.js';
import { testConfig, variablesTheConfigReads } from '../helpers/config.js';

/** Every document of every manifest under `dir`, parsed (a syntax error fails the test). */
function manifests(dir: string): Record<string, unknown>[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .flatMap((name) =>
      parseAllDocuments(readFileSync(`${dir}/${name}`, 'utf8')).map((document) => {
        expect(document.errors, name).toEqual([]);
        return document.toJS() as Record<string, unknown>;
      }),
    );
}

/** The kinds of resource, by kind, from deploy/kubernetes. */
function kubernetes(): Map<string, Record<string, unknown>> {
  return new Map(manifests('deploy/kubernetes').map((doc) => [doc['kind'] as string, doc]));
}

interface Container {
  readonly env?: { name: string; value?: string }[];
  readonly command?: string[];
  readonly readinessProbe: { httpGet: { path: string } };
  readonly livenessProbe: { httpGet: { path: string } };
  readonly lifecycle: { preStop: { exec: { command: string[] } } };
  readonly resources: { requests: Record<string, string>; limits: Record<string, string> };
}

interface DeploymentSpec {
  readonly replicas: number;
  readonly template: {
    spec: { terminationGracePeriodSeconds: number; containers: Container[] };
  };
}

const deployment = () => kubernetes().get('Deployment')?.['spec'] as DeploymentSpec;
const container = () => deployment().template.spec.containers[0] as Container;
const configMap = () => kubernetes().get('ConfigMap')?.['data'] as Record<string, string>;

describe('deploy/kubernetes', () => {
  let gateway: Gateway;
  beforeAll(async () => {
    gateway = await createGateway({
      config: testConfig(),
      baseUrl: new URL('http://127.0.0.1:9'),
      logger: pino({ level: 'silent' }),
    });
    await gateway.app.ready();
  });
  afterAll(() => gateway.close());

  it('has a Deployment, Service, ConfigMap, Secret, PodDisruptionBudget and HorizontalPodAutoscaler', () => {
    expect([...kubernetes().keys()].sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Secret',
      'Service',
    ]);
  });

  it('sets only variables the configuration reads', () => {
    const known = variablesTheConfigReads();
    const secret = kubernetes().get('Secret')?.['stringData'] as Record<string, string>;
    const names = [
      ...Object.keys(configMap()),
      ...Object.keys(secret),
      ...(container().env ?? []).map((variable) => variable.name),
    ];
    expect(names.length).toBeGreaterThan(5);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
    expect(names).toContain('REDIS_URL');
  });

  it('probes routes the server has: readiness on /readyz, liveness on /healthz', () => {
    const { readinessProbe, livenessProbe } = container();
    expect(readinessProbe.httpGet.path).toBe('/readyz');
    expect(livenessProbe.httpGet.path).toBe('/healthz');
    for (const url of [readinessProbe.httpGet.path, livenessProbe.httpGet.path]) {
      expect(gateway.app.hasRoute({ method: 'GET', url }), url).toBe(true);
    }
  });

  it('runs three replicas that drain before they are killed', () => {
    const spec = deployment();
    expect(spec.replicas).toBe(3);
    const pause = Number(container().lifecycle.preStop.exec.command.at(-1));
    expect(pause).toBeGreaterThan(0);
    const graceMs = Number(configMap()['SHUTDOWN_GRACE_MS'] ?? testConfig().shutdownGraceMs);
    // The gateway's own bound on its shutdown: the grace, then the answers to what it cut short.
    expect(spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      pause * 1000 + graceMs + CUT_ANSWER_MS,
    );
    expect(Object.keys(container().resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(container().resources.limits['memory']).toBeDefined();
  });

  it('leaves the command to the image', () => {
    expect(container().command).toBeUndefined();
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');

  it('runs the gateway exactly as `npm start` does, as a non-root user on every interface', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    const start = scripts['start']?.split(' && ').at(-1);
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(cmd).toBeDefined();
    expect((JSON.parse(cmd ?? '[]') as string[]).join(' ')).toBe(start);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('builds with dev dependencies and runs without them', () => {
    const stages = dockerfile.split(/^FROM /m).slice(1);
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/RUN npm ci /);
    expect(stages[0]).toMatch(/RUN npm run build/);
    expect(stages[1]).toMatch(/RUN npm ci --omit=dev/);
    expect(stages[1]).toMatch(/COPY --from=build \/app\/dist/);
  });
});

describe('deploy/router', () => {
  const [router] = manifests('deploy/router').filter((doc) => 'headers' in doc);
  const [supergraph] = manifests('deploy/router').filter((doc) => 'subgraphs' in doc);

  it('propagates the caller token and trace headers to this subgraph', () => {
    const headers = router?.['headers'] as {
      subgraphs: Record<string, { request: { propagate: { named: string } }[] }>;
    };
    const propagated = headers.subgraphs['qualifications']?.request.map(
      (rule) => rule.propagate.named,
    );
    expect(propagated).toEqual(
      expect.arrayContaining(['authorization', 'traceparent', 'ms-correlationid']),
    );
  });

  it("passes subscriptions through to this subgraph's routing path over graphql-transport-ws", () => {
    const subscription = router?.['subscription'] as {
      enabled: boolean;
      deduplication?: { ignored_headers?: string[] };
      mode: {
        passthrough: {
          all?: unknown;
          subgraphs: Record<string, { path: string; protocol: string; heartbeat_interval: string }>;
        };
      };
    };
    const subgraphs = supergraph?.['subgraphs'] as Record<string, { routing_url: string }>;
    const names = Object.keys(subgraphs);
    expect(subscription.enabled).toBe(true);
    expect(Object.keys(subscription.mode.passthrough.subgraphs)).toEqual(names);
    for (const name of names) {
      const passthrough = subscription.mode.passthrough.subgraphs[name];
      const routingPath = new URL(subgraphs[name]?.routing_url ?? '').pathname;
      expect(passthrough?.path).toBe(routingPath);
      expect(routingPath).toBe(SUBSCRIPTIONS_PATH);
      // Apollo Router's `graphql_ws` is graphql-ws's `graphql-transport-ws` subprotocol.
      expect(passthrough?.protocol).toBe('graphql_ws');
      // Pings well below a load balancer's 60 s idle timeout keep a quiet subscription open.
      const heartbeat = /^(\d+)s$/.exec(passthrough?.heartbeat_interval ?? '')?.[1];
      expect(Number(heartbeat)).toBeGreaterThan(0);
      expect(Number(heartbeat)).toBeLessThan(60);
    }
    // The token reaches the subgraph's socket only if the router propagates it.
    const headers = router?.['headers'] as {
      subgraphs: Record<string, { request: { propagate: { named: string } }[] }>;
    };
    for (const name of names) {
      const propagated = headers.subgraphs[name]?.request.map((rule) => rule.propagate.named);
      expect(propagated).toContain('authorization');
    }
    expect(subscription.mode.passthrough.all).toBeUndefined();
    // Deduplication must not merge two callers' subscriptions onto one socket and one token.
    const ignored = (subscription.deduplication?.ignored_headers ?? []).map((name) =>
      name.toLowerCase(),
    );
    expect(ignored).not.toContain('authorization');
    expect(ignored).not.toContain('router-authorization');
  });

  it("composes with the federation version of the schema's @link", () => {
    const base = readFileSync('schema/base.graphql', 'utf8');
    const linked = /specs\.apollo\.dev\/federation\/v(\d+\.\d+)/.exec(base)?.[1];
    expect(linked).toBeDefined();
    expect(String(supergraph?.['federation_version'])).toBe(`=${linked ?? ''}.0`);
    const subgraphs = supergraph?.['subgraphs'] as Record<string, unknown>;
    expect(Object.keys(subgraphs)).toEqual(['qualifications']);
  });
});

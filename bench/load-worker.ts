import autocannon, { type RequestTemplate, type Result } from 'autocannon';
import type { LoadPlan, LoadResult, ParentMessage, WorkerMessage } from './load-protocol.js';
import { BENCH_AUTHORIZATION, WORKLOADS } from './workloads.js';
import { nextParentMessage, runWorker, sendToParent } from './worker-ipc.js';

/**
 * The load generator, in its own process (forked by load-generator.ts with an IPC channel):
 * warm up, tell the parent, wait for its go, measure, send the result, exit.
 */

const send = (message: WorkerMessage): Promise<void> => sendToParent(message);
const nextMessage = (): Promise<ParentMessage> => nextParentMessage<ParentMessage>();

let operationsBuilt = 0;
let graphqlErrors = 0;

function template(plan: LoadPlan): RequestTemplate {
  const workload = WORKLOADS[plan.workload];
  return {
    // One template whose setupRequest takes the next operation number from a counter that all
    // connections share: ids rotate across the whole run, not per connection.
    setupRequest: (request) => {
      const next = workload.request(operationsBuilt);
      operationsBuilt += 1;
      return { ...request, method: next.method, path: next.path, body: next.body ?? '' };
    },
    // A GraphQL error still answers 200; a substring test is enough to notice one and costs the
    // load generator next to nothing, unlike parsing every body.
    ...(workload.target === 'gateway'
      ? {
          onResponse: (status: number, body: string) => {
            if (status === 200 && body.includes('"errors"')) graphqlErrors += 1;
          },
        }
      : {}),
  };
}

function load(plan: LoadPlan, seconds: number): PromiseLike<Result> {
  const headers: Record<string, string> = { authorization: BENCH_AUTHORIZATION };
  if (WORKLOADS[plan.workload].target === 'gateway') headers['content-type'] = 'application/json';
  return autocannon({
    url: [...plan.origins],
    connections: plan.connections,
    duration: seconds,
    pipelining: 1,
    // Deep queues (W3 at 20 ms) take seconds per operation; only a hang should time out.
    timeout: 30,
    headers,
    requests: [template(plan)],
  });
}

async function main(): Promise<void> {
  const first = await nextMessage();
  if (first.type !== 'plan') throw new Error(`expected a plan, got ${first.type}`);
  const { plan } = first;

  if (plan.warmupSeconds > 0) await load(plan, plan.warmupSeconds);
  const go = nextMessage();
  await send({ type: 'warmedUp' });
  if ((await go).type !== 'measure') throw new Error('expected measure');

  graphqlErrors = 0;
  const cpuBefore = process.cpuUsage();
  const raw = await load(plan, plan.durationSeconds);
  const cpu = process.cpuUsage(cpuBefore);
  const result: LoadResult = {
    completed: raw['2xx'],
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    graphqlErrors,
    durationSeconds: raw.duration,
    latencyMs: {
      mean: raw.latency.mean,
      p50: raw.latency.p50,
      p90: raw.latency.p90,
      p99: raw.latency.p99,
      max: raw.latency.max,
    },
    operationsBuilt,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  await send({ type: 'result', result });
}

runWorker(main);

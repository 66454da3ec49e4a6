import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterEach, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { startTracing, type Tracing } from '../../src/observability/tracing.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const ROUTER_SPAN_ID = '00f067aa0ba902b7';
const QUERY = /* GraphQL */ `
  query Qualify($id: ID!) {
    customer(id: $id) {
      id
    }
  }
`;

let tracing: Tracing | undefined;
let running: RunningGateway | undefined;

afterEach(async () => {
  await running?.close();
  await tracing?.shutdown();
  // The OpenTelemetry API is process-global: leave it as other test files expect it.
  trace.disable();
  propagation.disable();
  context.disable();
});

/** One operation through the running gateway, with the caller's extra headers. */
function qualify(headers: Record<string, string> = {}) {
  if (running === undefined) throw new Error('no gateway running');
  return postGraphQL(
    running.graphqlUrl,
    QUERY,
    { id: SAMPLE_CUSTOMER_IDS.educationApproved },
    { authorization: 'Bearer t', ...headers },
  );
}

function upstreamTraceparent() {
  return running?.simulator.requests.map((request) => request.headers['traceparent']);
}

it('continues the router trace: an operation span, an upstream span, traceparent to Partner Center', async () => {
  const exporter = new InMemorySpanExporter();
  tracing = startTracing({ exporter });
  running = await startGateway();

  await qualify({ traceparent: `00-${TRACE_ID}-${ROUTER_SPAN_ID}-01` });
  await tracing.flush();

  const spans = exporter.getFinishedSpans();
  const operation = spans.find((span) => span.name === 'graphql.query Qualify');
  const upstream = spans.find((span) => span.name === 'GET /v1/customers/{id}/qualifications');
  expect(operation?.spanContext().traceId).toBe(TRACE_ID);
  expect(operation?.parentSpanContext?.spanId).toBe(ROUTER_SPAN_ID);
  expect(operation?.attributes).toMatchObject({
    'graphql.operation.type': 'query',
    'graphql.operation.name': 'Qualify',
    'upstream.calls': 1,
  });
  expect(upstream?.spanContext().traceId).toBe(TRACE_ID);
  expect(upstream?.parentSpanContext?.spanId).toBe(operation?.spanContext().spanId);
  expect(upstream?.attributes).toMatchObject({
    'http.request.method': 'GET',
    'url.template': '/v1/customers/{id}/qualifications',
    'http.response.status_code': 200,
  });
  expect(upstreamTraceparent()).toEqual([
    `00-${TRACE_ID}-${upstream?.spanContext().spanId ?? ''}-01`,
  ]);
});

it('without an exporter still passes the caller trace on to Partner Center', async () => {
  tracing = startTracing({});
  running = await startGateway();

  await qualify({ traceparent: `00-${TRACE_ID}-${ROUTER_SPAN_ID}-01` });

  const [traceparent] = upstreamTraceparent() ?? [];
  expect(traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
  expect(traceparent).not.toContain(ROUTER_SPAN_ID);
});

it('without an exporter or a caller trace sends Partner Center no traceparent', async () => {
  tracing = startTracing({});
  running = await startGateway();

  const response = await qualify();

  expect(response.body['errors']).toBeUndefined();
  expect(upstreamTraceparent()).toEqual([undefined]);
});

it('with an exporter traces an operation no caller trace came with', async () => {
  const exporter = new InMemorySpanExporter();
  tracing = startTracing({ exporter });
  running = await startGateway();

  await qualify();
  await tracing.flush();

  const spans = exporter.getFinishedSpans();
  const operation = spans.find((span) => span.name === 'graphql.query Qualify');
  const upstream = spans.find((span) => span.name === 'GET /v1/customers/{id}/qualifications');
  expect(operation).toBeDefined();
  expect(upstream).toBeDefined();
  expect(operation?.parentSpanContext).toBeUndefined();
  expect(upstream?.spanContext().traceId).toBe(operation?.spanContext().traceId);
  expect(upstreamTraceparent()).toEqual([
    `00-${operation?.spanContext().traceId ?? ''}-${upstream?.spanContext().spanId ?? ''}-01`,
  ]);
});

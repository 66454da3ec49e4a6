import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { startSimulator, type Simulator } from '../../src/simulator/server.js';

const ID = SAMPLE_CUSTOMER_IDS.noQualifications;
const AUTH = { authorization: 'Bearer user-token' };
let now = Date.parse('2026-12-02T10:00:00Z');
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ auditPageSize: 2, now: () => now, generatedCustomers: 0 });
});
afterAll(() => simulator.close());
beforeEach(() => {
  now = Date.parse('2026-12-02T10:00:00Z');
  simulator.reset();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(new URL(path, simulator.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function audit(query: string, token?: string) {
  const response = await fetch(new URL(`/v1/auditrecords?${query}`, simulator.url), {
    headers: { ...AUTH, ...(token === undefined ? {} : { 'ms-continuationtoken': token }) },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function brief(items: unknown) {
  return (items as Record<string, unknown>[]).map((item) => [
    item['customerId'],
    item['operationType'],
    item['operationStatus'],
    item['operationDate'],
    item['userPrincipalName'],
  ]);
}

it('logs a write, a change made elsewhere and a rename, by day, and pages them', async () => {
  expect(
    (await post(`/v1/customers/${ID}/qualifications`, { qualification: 'StateOwnedEntity' }, AUTH))
      .status,
  ).toBe(201);
  now += 3_600_000;
  const elsewhere = await post(`/_simulator/customers/${ID}/qualifications`, {
    qualification: 'Education',
    educationSegment: 'K12',
  });
  expect(elsewhere.status).toBe(201);
  now = Date.parse('2026-12-03T00:00:01Z');
  expect(
    (await post(`/_simulator/customers/${ID}/company-name`, { companyName: 'Adventure Works' }))
      .status,
  ).toBe(200);

  // The change made elsewhere is in the answer.
  const read = await fetch(new URL(`/v1/customers/${ID}/qualifications`, simulator.url), {
    headers: AUTH,
  });
  expect(((await read.json()) as { qualification: string }[]).map((q) => q.qualification)).toEqual([
    'StateOwnedEntity',
    'Education',
  ]);

  const first = await audit('startDate=2026-12-02&endDate=2026-12-03');
  expect(first.status).toBe(200);
  expect(first.body['totalCount']).toBe(3);
  expect(brief(first.body['items'])).toEqual([
    [
      ID,
      'update_customer_qualification',
      'succeeded',
      '2026-12-02T10:00:00.000Z',
      'gateway-caller@partner.example',
    ],
    [
      ID,
      'update_customer_qualification',
      'succeeded',
      '2026-12-02T11:00:00.000Z',
      'admin@partner.example (dashboard)',
    ],
  ]);
  const next = (first.body['links'] as { next: { headers: { key: string; value: string }[] } }).next
    .headers[0]?.value;
  const second = await audit('seekOperation=next', next);
  expect(brief(second.body['items'])).toEqual([
    [
      ID,
      'update_customer_partner_contract_company_name',
      'succeeded',
      '2026-12-03T00:00:01.000Z',
      'admin@partner.example (dashboard)',
    ],
  ]);
  expect(second.body['links']).not.toHaveProperty('next');

  // Without an end date: up to today; one day only.
  expect((await audit('startDate=2026-12-03')).body['totalCount']).toBe(1);
  expect((await audit('startDate=2026-12-02&endDate=2026-12-02')).body['totalCount']).toBe(2);
  expect((await audit('startDate=yesterday')).status).toBe(400);
  expect(simulator.stats.routes['GET /v1/auditrecords']).toBe(5);
});

it("strikes the audit read with a fault of its own target, never with every customer's", async () => {
  simulator.setFault('*', 'serverError');
  expect((await audit('startDate=2026-12-02')).status).toBe(200);
  simulator.setFault('auditrecords', 'throttled', 1);
  const throttled = await fetch(new URL('/v1/auditrecords?startDate=2026-12-02', simulator.url), {
    headers: AUTH,
  });
  expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '1']);
  expect((await audit('startDate=2026-12-02')).status).toBe(200);
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

let running: RunningGateway;

beforeAll(async () => {
  running = await startGateway({});
});

afterAll(async () => {
  await running.close();
});

const policy = (connect: string) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src ${connect}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

async function policyFor(host: string): Promise<unknown> {
  const response = await running.gateway.app.inject({ url: '/graphiql', headers: { host } });
  expect(response.statusCode).toBe(200);
  return response.headers['content-security-policy'];
}

it("lets GraphiQL's subscriptions connect to the host the browser asked, by name or address", async () => {
  expect(await policyFor('ide.example.test')).toBe(
    policy("'self' ws://ide.example.test wss://ide.example.test"),
  );
  expect(await policyFor('127.0.0.1:4000')).toBe(
    policy("'self' ws://127.0.0.1:4000 wss://127.0.0.1:4000"),
  );
  expect(await policyFor('[::1]:4000')).toBe(policy("'self' ws://[::1]:4000 wss://[::1]:4000"));
});

it('keeps a Host no browser sends out of the policy', async () => {
  expect(await policyFor("x; script-src 'unsafe-inline'")).toBe(policy("'self'"));
  expect(await policyFor('x wss://elsewhere.test')).toBe(policy("'self'"));
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';

let running: RunningGateway;
beforeAll(async () => {
  running = await startGateway({ fallbackAuthorization: 'Bearer simulator-demo-token' });
});
afterAll(() => running.close());

it('lets a caller without a token use the demo token against the built-in simulator', async () => {
  const response = await postGraphQL(
    running.graphqlUrl,
    `{ customer(id: "${SAMPLE_CUSTOMER_IDS.stateOwnedEntity}") { qualifications { qualification } } }`,
    {},
    {},
  );

  expect(response.body).toEqual({
    data: { customer: { qualifications: [{ qualification: 'STATE_OWNED_ENTITY' }] } },
  });
  expect(running.simulator.requests[0]?.headers['authorization']).toBe(
    'Bearer simulator-demo-token',
  );
});

it('still forwards a token the caller does send', async () => {
  running.simulator.reset();

  await postGraphQL(
    running.graphqlUrl,
    `{ customer(id: "${SAMPLE_CUSTOMER_IDS.stateOwnedEntity}") { id } }`,
    {},
    { authorization: 'Bearer mine' },
  );

  expect(running.simulator.requests[0]?.headers['authorization']).toBe('Bearer mine');
});

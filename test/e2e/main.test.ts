import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { postGraphQL } from '../helpers/gateway.js';
import { killMainProcesses, startMain } from '../helpers/main-process.js';

afterEach(killMainProcesses);

it('starts on the built-in simulator, answers without a token, and drains on SIGTERM', async () => {
  const main = startMain({ PORT: '0', HOST: '127.0.0.1' });
  const url = await main.listening;

  const response = await postGraphQL(
    url,
    `{ customer(id: "${SAMPLE_CUSTOMER_IDS.educationDenied}") { qualifications { vettingStatus vettingReason } } }`,
    {},
    {},
  );
  main.child.kill('SIGTERM');
  const [code] = (await once(main.child, 'close')) as [number | null];

  expect(response.body).toEqual({
    data: {
      customer: {
        qualifications: [{ vettingStatus: 'DENIED', vettingReason: 'Not an Education Customer' }],
      },
    },
  });
  expect(code).toBe(0);
  const messages = main.lines.map((entry) => entry['msg']);
  expect(messages).toContainEqual(
    expect.stringContaining('using the built-in Partner Center simulator'),
  );
  expect(messages).toContainEqual(expect.stringContaining('Apollo Sandbox'));
  expect(messages.at(-1)).toBe('shut down');
});

it('finishes a request in flight when SIGTERM arrives, then exits 0', async () => {
  const main = startMain({ PORT: '0', HOST: '127.0.0.1', SIMULATOR_LATENCY_MS: '800' });
  const url = await main.listening;

  const slow = postGraphQL(
    url,
    `{ customer(id: "${SAMPLE_CUSTOMER_IDS.stateOwnedEntity}") { qualifications { qualification } } }`,
    {},
    {},
  );
  await new Promise((resolve) => setTimeout(resolve, 200));
  main.child.kill('SIGTERM');
  const response = await slow;
  const [code] = (await once(main.child, 'close')) as [number | null];

  expect(response.body).toEqual({
    data: { customer: { qualifications: [{ qualification: 'STATE_OWNED_ENTITY' }] } },
  });
  expect(code).toBe(0);
  const messages = main.lines.map((entry) => entry['msg']);
  expect(messages.indexOf('shutting down: draining requests in flight')).toBeLessThan(
    messages.indexOf('graphql operation'),
  );
  expect(messages.at(-1)).toBe('shut down');
});

it('refuses to start on bad configuration, naming every problem at once', async () => {
  const main = startMain({
    PORT: 'eighty',
    UPSTREAM_TIMEOUT_MS: '0',
    PARTNER_CENTER_BASE_URL: 'ftp://user:hunter2@example.com',
  });
  const [code] = (await once(main.child, 'close')) as [number | null];

  expect(code).toBe(1);
  expect(main.stderr()).toBe(
    [
      'Invalid configuration:',
      '  - PORT must be a whole number from 0 to 65535',
      '  - PARTNER_CENTER_BASE_URL must use https (or http for a local fake)',
      '  - UPSTREAM_TIMEOUT_MS must be a whole number from 1 to 300000',
      '',
    ].join('\n'),
  );
});

it('decides a review on the built-in simulator after SIMULATOR_VETTING_SECONDS', async () => {
  const main = startMain({ PORT: '0', HOST: '127.0.0.1', SIMULATOR_VETTING_SECONDS: '1' });
  const url = await main.listening;
  const id = SAMPLE_CUSTOMER_IDS.noQualifications;

  const added = await postGraphQL(
    url,
    /* GraphQL */ `
      mutation {
        addCustomerQualification(
          input: { customerId: "${id}", qualification: EDUCATION, educationSegment: K12 }
        ) {
          qualification {
            vettingStatus
          }
        }
      }
    `,
    {},
    {},
  );
  // The review started before the write's answer, so a second later it has been decided.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const read = await postGraphQL(
    url,
    `{ customer(id: "${id}") { qualifications { vettingStatus } } }`,
    {},
    { 'cache-control': 'no-cache' },
  );
  main.child.kill('SIGTERM');
  await once(main.child, 'close');

  expect(added.body).toEqual({
    data: { addCustomerQualification: { qualification: { vettingStatus: 'IN_REVIEW' } } },
  });
  expect(read.body).toEqual({
    data: { customer: { qualifications: [{ vettingStatus: 'APPROVED' }] } },
  });
});

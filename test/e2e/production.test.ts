import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postGraphQL, startGateway, type RunningGateway } from '../helpers/gateway.js';

let production: RunningGateway;
let development: RunningGateway;
beforeAll(async () => {
  production = await startGateway({ env: { NODE_ENV: 'production' } });
  development = await startGateway({ env: { NODE_ENV: 'development' } });
});
afterAll(async () => {
  await production.close();
  await development.close();
});

describe('NODE_ENV=production', () => {
  it('refuses introspection', async () => {
    const response = await postGraphQL(
      production.graphqlUrl,
      '{ __schema { queryType { name } } }',
    );

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [
        {
          message: expect.stringContaining('introspection is not allowed') as string,
          locations: [{ line: 1, column: 3 }],
          extensions: {
            code: 'GRAPHQL_VALIDATION_FAILED',
            validationErrorCode: 'INTROSPECTION_DISABLED',
          },
        },
      ],
    });
  });

  it('gives no field suggestions and no stack traces', async () => {
    const response = await postGraphQL(production.graphqlUrl, '{ customr(id: "x") { id } }');

    expect(response.body).toEqual({
      errors: [
        {
          message: 'Cannot query field "customr" on type "Query".',
          locations: [{ line: 1, column: 3 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
  });

  it('serves no Sandbox page to browsers', async () => {
    const response = await fetch(production.graphqlUrl, { headers: { accept: 'text/html' } });

    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('embeddable-sandbox');
  });
});

describe('outside production', () => {
  it('suggests fields and shows stack traces, for developers', async () => {
    const response = await postGraphQL(development.graphqlUrl, '{ customr(id: "x") { id } }');

    const [error] = response.body['errors'] as { message: string }[];
    expect(error?.message).toBe(
      'Cannot query field "customr" on type "Query". Did you mean "customer" or "customers"?',
    );
  });

  it('serves Apollo Sandbox on GET /graphql with the example operation', async () => {
    const response = await fetch(development.graphqlUrl, { headers: { accept: 'text/html' } });
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('embeddable-sandbox');
    expect(html).toContain('query CustomerDirectory');
    expect(html).toContain('10000000-0000-4000-8000-000000000003');
  });
});

import { Kind } from 'graphql';
import { expect, it } from 'vitest';
import { loadTypeDefs } from '../../src/graphql/schema.js';
import { mockedGatewayPerTest } from '../helpers/mocked-gateway.js';

const SCALARS = /* GraphQL */ `
  query {
    __schema {
      types {
        kind
        name
        description
      }
    }
  }
`;

const mocked = mockedGatewayPerTest();

it('serves each scalar of schema/ with the description schema/ gives it, asking Partner Center nothing', async () => {
  const fromSdl = loadTypeDefs()
    .definitions.filter((definition) => definition.kind === Kind.SCALAR_TYPE_DEFINITION)
    .map((definition) => ({
      kind: 'SCALAR',
      name: definition.name.value,
      description: definition.description?.value ?? null,
    }));

  const result = await mocked.gateway.execute(SCALARS);

  const served = (result.body as { data: { __schema: { types: { name: string }[] } } }).data
    .__schema.types;
  expect(fromSdl.map((scalar) => scalar.name)).toEqual(['DateTime']);
  expect(served.filter((type) => fromSdl.some((scalar) => scalar.name === type.name))).toEqual(
    fromSdl,
  );
  expect(mocked.upstream.calls).toEqual([]);
});

import { printSubgraphSchema } from '@apollo/subgraph';
import {
  isEnumType,
  isInputObjectType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
} from 'graphql';
import { expect, it } from 'vitest';
import { createSchema } from '../../src/graphql/schema.js';

const schema = createSchema();

it('keeps the published subgraph SDL as reviewed (update the snapshot on purpose only)', async () => {
  await expect(printSubgraphSchema(schema)).toMatchFileSnapshot('../__snapshots__/schema.graphql');
});

it('describes every type, field, argument and enum value of ours (Sandbox shows them)', () => {
  // Types the federation and link specs inject are described by those specs, not by us.
  const injected = (name: string) =>
    name.startsWith('_') || name.startsWith('federation__') || name.startsWith('link__');
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type) || injected(type.name)) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (field.name.startsWith('_')) continue;
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!value.description) missing.push(`${type.name}.${value.name}`);
      }
    }
  }
  expect(missing).toEqual([]);
});

import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.js';

// src/graphql/schema.ts and dist/graphql/schema.js both sit two levels below the package root.
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** Reads `schema/*.graphql` (the same files codegen reads) into one document. */
export function loadTypeDefs(): DocumentNode {
  const files = readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith('.graphql'))
    .sort();
  const source = files.map((name) => readFileSync(new URL(name, SCHEMA_DIR), 'utf8')).join('\n');
  return parse(source);
}

export function createSchema(): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: loadTypeDefs(),
    resolvers,
  });
}

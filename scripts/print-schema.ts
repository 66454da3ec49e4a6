// `npm run schema:print`: the subgraph SDL as a router composes it, for
// `rover subgraph publish <graph-ref> --name qualifications --schema <(npm run -s schema:print)`.
import { printSubgraphSchema } from '@apollo/subgraph';
import { createSchema } from '../src/graphql/schema.js';

process.stdout.write(`${printSubgraphSchema(createSchema())}\n`);

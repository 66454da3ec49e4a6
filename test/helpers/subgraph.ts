import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { parse, type DocumentNode } from 'graphql';

export interface Subgraph {
  /** `http://127.0.0.1:PORT/` */
  readonly url: string;
  stop(): Promise<void>;
}

/** Another team's subgraph (Apollo Server and `@apollo/subgraph`) on a free loopback port. */
export async function startSubgraph(
  sdl: string,
  resolvers: GraphQLResolverMap<unknown>,
): Promise<Subgraph> {
  const server = new ApolloServer({
    schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}

/** The supergraph a router runs, composed as `rover supergraph compose` would; throws on errors. */
export function composeSupergraph(
  subgraphs: readonly { name: string; typeDefs: DocumentNode; url: string }[],
): string {
  const composed = composeServices([...subgraphs]);
  if (composed.errors !== undefined) throw new Error(composed.errors.map(String).join('\n'));
  return composed.supergraphSdl;
}

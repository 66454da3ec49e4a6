import {
  ApolloClient,
  HttpLink,
  split,
  type NormalizedCacheObject,
} from '@apollo/client/core/index.js';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions/index.js';
import { getMainDefinition } from '@apollo/client/utilities/index.js';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import { createPortalCache } from './type-policies.js';

export interface PortalClientOptions {
  /** The gateway's GraphQL endpoint, `http(s)://…/graphql`; WebSockets use the same URL. */
  readonly gatewayUrl: string;
  /** `Bearer …`; none against the simulator, which stands in a demo token. */
  readonly authorization?: string;
}

/** Subscriptions over graphql-ws, everything else over HTTP, one normalised cache for both. */
export function createPortalClient(
  options: PortalClientOptions,
): ApolloClient<NormalizedCacheObject> {
  const headers: Record<string, string> =
    options.authorization === undefined ? {} : { authorization: options.authorization };
  const http = new HttpLink({ uri: options.gatewayUrl, headers });
  const ws = new GraphQLWsLink(
    createClient({
      url: options.gatewayUrl.replace(/^http/, 'ws'),
      connectionParams: headers,
      // Vetting takes minutes: a dropped connection comes back, and the first events after
      // it bring every watched customer up to date.
      retryAttempts: Infinity,
    }),
  );
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return (
        definition.kind === Kind.OPERATION_DEFINITION &&
        definition.operation === OperationTypeNode.SUBSCRIPTION
      );
    },
    ws,
    http,
  );
  return new ApolloClient({
    link,
    cache: createPortalCache(),
    // Sent as apollographql-client-name/-version, which the gateway's CORS preflight allows.
    clientAwareness: { name: 'partner-portal-example', version: '1.0.0' },
  });
}

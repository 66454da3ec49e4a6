import { GraphQLError } from 'graphql';
import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import { normaliseCustomerId } from '../customer-id.js';
import { badUserInput } from '../errors.js';
import type { CustomerModel } from './models.js';

export const Subscription: SubscriptionResolvers = {
  customerQualificationsChanged: {
    // Checked before anything is read: a bad list never reaches Partner Center.
    subscribe: (_parent, { ids }, context) => {
      const { live } = context;
      if (live === undefined) {
        throw new GraphQLError(
          'Subscriptions are served over WebSocket (graphql-transport-ws) and multipart HTTP (Accept: multipart/mixed;subscriptionSpec="1.0").',
          { extensions: { code: 'BAD_REQUEST' } },
        );
      }
      if (ids.length > live.maxIds) {
        throw badUserInput(`At most ${live.maxIds} customer ids may be watched at once.`, {
          argumentName: 'ids',
        });
      }
      const normalised = new Set<string>();
      for (const id of ids) {
        const customerId = normaliseCustomerId(id);
        if (customerId === undefined) {
          throw badUserInput(
            'Customer ids must be GUIDs such as 10000000-0000-4000-8000-000000000001.',
            { argumentName: 'ids' },
          );
        }
        normalised.add(customerId);
      }
      return live.customers([...normalised]);
    },
    resolve: (customer: CustomerModel) => customer,
  },
};

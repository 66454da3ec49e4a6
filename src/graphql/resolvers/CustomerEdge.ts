import type { CustomerEdgeResolvers } from '../__generated__/resolvers-types.js';
import { readsOf } from '../customer-reads.js';
import { loadListedCustomer } from './load-customer.js';

export const CustomerEdge: CustomerEdgeResolvers = {
  // The list answer carried the profile; only qualifications, when asked, cost a read.
  node: (edge, _args, context, info) => loadListedCustomer(context, edge.customer, readsOf(info)),
};

import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { readsById, readsOf } from '../customer-reads.js';
import { badUserInput } from '../errors.js';
import { readDirectoryPage } from '../../directory/page.js';
import { loadCustomer } from './load-customer.js';
import type { CustomerModel } from './models.js';

export const Query: QueryResolvers = {
  customer: (_parent, { id }, context, info) => loadCustomer(context, id, readsById(readsOf(info))),

  customers: (_parent, { ids }, context, info) => {
    if (ids.length > context.maxCustomerIds) {
      throw badUserInput(`At most ${context.maxCustomerIds} customer ids may be asked at once.`, {
        argumentName: 'ids',
      });
    }
    // One promise per entry, so a bad or failing id nulls only its own entry. graphql-js
    // accepts a promise of null for a nullable item; codegen's wrapper type cannot say so.
    const reads = readsById(readsOf(info));
    return ids.map((id) => loadCustomer(context, id, reads, 'ids')) as Array<
      Promise<CustomerModel>
    >;
  },

  customerDirectory: async (_parent, args, context) => {
    const page = await readDirectoryPage(context.api, context.call, args);
    // A customer of the page asked for by id in the same operation needs no profile call.
    for (const { customer } of page.edges) context.loaders.profile.prime(customer.id, customer);
    return page;
  },

  gccValidationCodes: (_parent, _args, context) => context.loaders.validationCodes.load('all'),
};

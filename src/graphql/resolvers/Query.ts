import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { badUserInput } from '../errors.js';
import type { CustomerRecord } from '../../partner-center/types.js';
import { loadCustomer } from './load-customer.js';

export const Query: QueryResolvers = {
  customer: (_parent, { id }, context) => loadCustomer(context, id),

  customers: (_parent, { ids }, context) => {
    if (ids.length > context.maxCustomerIds) {
      throw badUserInput(`At most ${context.maxCustomerIds} customer ids may be asked at once.`, {
        argumentName: 'ids',
      });
    }
    // One promise per entry, so a bad or failing id nulls only its own entry. graphql-js
    // accepts a promise of null for a nullable item; codegen's wrapper type cannot say so.
    return ids.map((id) => loadCustomer(context, id)) as Array<Promise<CustomerRecord>>;
  },

  gccValidationCodes: (_parent, _args, context) => context.loaders.validationCodes.load('all'),
};

import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { qualificationKind, vettingStatus } from './qualification-values.js';
import { hintCustomer } from './cache-hint.js';
import { loadCustomer } from './load-customer.js';

export const Customer: CustomerResolvers = {
  __resolveReference: (reference, context, info) => loadCustomer(context, reference.id, info),

  qualifications: (customer, _args, context, info) => {
    hintCustomer(info, context, customer);
    return customer.qualifications;
  },

  isQualifiedFor: (customer, { qualification }, context) =>
    customer.qualifications.some((record) => {
      if (qualificationKind(record.qualification, context) !== qualification) return false;
      // No vetting status means a kind that is never vetted: holding it is enough.
      if (record.vettingStatus === null) return true;
      return vettingStatus(record.vettingStatus, context) === 'APPROVED';
    }),
};

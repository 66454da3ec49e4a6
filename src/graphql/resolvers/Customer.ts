import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { qualificationKind, vettingStatus } from './qualification-values.js';
import { loadCustomer } from './load-customer.js';

export const Customer: CustomerResolvers = {
  __resolveReference: (reference, context) => loadCustomer(context, reference.id),

  qualifications: (customer) => customer.qualifications,

  qualificationsReadAt: (customer) => customer.readAt,

  qualificationsStale: (customer) => customer.stale,

  isQualifiedFor: (customer, { qualification }, context) =>
    customer.qualifications.some((record) => {
      if (qualificationKind(record.qualification, context) !== qualification) return false;
      // No vetting status means a kind that is never vetted: holding it is enough.
      if (record.vettingStatus === null) return true;
      return vettingStatus(record.vettingStatus, context) === 'APPROVED';
    }),
};

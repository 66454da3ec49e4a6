import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { normaliseCustomerId } from '../customer-id.js';
import { qualificationKind, vettingStatus } from './qualification-values.js';
import { loadCustomer } from './load-customer.js';
import { unknownCustomer } from './models.js';

export const Customer: CustomerResolvers = {
  // A router cannot take null for an entity another subgraph listed in a non-null list: it would
  // null the whole answer. A customer Partner Center does not know is an empty customer instead.
  __resolveReference: async (reference, context) =>
    (await loadCustomer(context, reference.id)) ??
    unknownCustomer(normaliseCustomerId(reference.id) ?? reference.id),

  qualifications: (customer) => customer.qualifications,

  knownToPartnerCenter: (customer) => customer.unknownToPartnerCenter !== true,

  isQualifiedFor: (customer, { qualification }, context) =>
    customer.qualifications.some((record) => {
      if (qualificationKind(record.qualification, context) !== qualification) return false;
      // No vetting status means a kind that is never vetted: holding it is enough.
      if (record.vettingStatus === null) return true;
      return vettingStatus(record.vettingStatus, context) === 'APPROVED';
    }),
};

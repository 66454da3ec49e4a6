import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { readsById, readsOf } from '../customer-reads.js';
import { qualificationKind, vettingStatus } from './qualification-values.js';
import { relationshipToPartner } from './relationship-values.js';
import { loadCustomer, profileOf, qualificationsOf } from './load-customer.js';

export const Customer: CustomerResolvers = {
  __resolveReference: (reference, context, info) =>
    loadCustomer(context, reference.id, readsById(readsOf(info))),

  qualifications: (customer, _args, context) => qualificationsOf(context, customer),

  isQualifiedFor: async (customer, { qualification }, context) =>
    (await qualificationsOf(context, customer)).some((record) => {
      if (qualificationKind(record.qualification, context) !== qualification) return false;
      // No vetting status means a kind that is never vetted: holding it is enough.
      if (record.vettingStatus === null) return true;
      return vettingStatus(record.vettingStatus, context) === 'APPROVED';
    }),

  companyName: async (customer, _args, context) =>
    (await profileOf(context, customer))?.companyName ?? null,

  domain: async (customer, _args, context) => (await profileOf(context, customer))?.domain ?? null,

  relationshipToPartner: async (customer, _args, context) => {
    const raw = (await profileOf(context, customer))?.relationshipToPartner ?? null;
    return raw === null ? null : relationshipToPartner(raw, context);
  },
};

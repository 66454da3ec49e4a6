import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { normaliseCustomerId } from '../customer-id.js';
import { readsById, readsOf } from '../customer-reads.js';
import { qualificationKind, vettingStatus } from './qualification-values.js';
import { relationshipToPartner } from './relationship-values.js';
import {
  knownToPartnerCenterOf,
  loadCustomer,
  profileOf,
  qualificationsOf,
  qualificationsReadOf,
} from './load-customer.js';
import { unknownCustomer } from './models.js';

export const Customer: CustomerResolvers = {
  // A router cannot take null for an entity another subgraph listed in a non-null list: it would
  // null the whole answer. A customer Partner Center does not know is an empty customer instead.
  __resolveReference: async (reference, context, info) =>
    (await loadCustomer(context, reference.id, readsById(readsOf(info)))) ??
    unknownCustomer(normaliseCustomerId(reference.id) ?? reference.id),

  qualifications: (customer, _args, context) => qualificationsOf(context, customer),

  qualificationsReadAt: async (customer, _args, context) =>
    (await qualificationsReadOf(context, customer)).readAt,

  qualificationsStale: async (customer, _args, context) =>
    (await qualificationsReadOf(context, customer)).stale,

  knownToPartnerCenter: (customer) => knownToPartnerCenterOf(customer),

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

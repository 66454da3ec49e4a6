import type { AddCustomerQualificationPayloadResolvers } from '../__generated__/resolvers-types.js';
import { readsById, readsOf } from '../customer-reads.js';
import { loadCustomer } from './load-customer.js';

export const AddCustomerQualificationPayload: AddCustomerQualificationPayloadResolvers = {
  customer: (outcome, _args, context, info) =>
    loadCustomer(context, outcome.customerId, readsById(readsOf(info))),
};

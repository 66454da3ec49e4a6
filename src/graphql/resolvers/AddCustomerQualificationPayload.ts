import type { AddCustomerQualificationPayloadResolvers } from '../__generated__/resolvers-types.js';
import { loadCustomer } from './load-customer.js';

export const AddCustomerQualificationPayload: AddCustomerQualificationPayloadResolvers = {
  customer: (outcome, _args, context) => loadCustomer(context, outcome.customerId),
};

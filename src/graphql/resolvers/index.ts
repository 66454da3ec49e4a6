import type { Resolvers } from '../__generated__/resolvers-types.js';
import { AddCustomerQualificationPayload } from './AddCustomerQualificationPayload.js';
import { Customer } from './Customer.js';
import { CustomerEdge } from './CustomerEdge.js';
import { CustomerQualification } from './CustomerQualification.js';
import { DateTime } from './DateTime.js';
import { GccValidationCode } from './GccValidationCode.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Subscription } from './Subscription.js';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Subscription,
  Customer,
  CustomerEdge,
  CustomerQualification,
  AddCustomerQualificationPayload,
  GccValidationCode,
  DateTime,
};

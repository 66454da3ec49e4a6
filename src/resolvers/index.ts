import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Customer } from './Customer.js';
import { CustomerQualification } from './CustomerQualification.js';
import { DateTime } from './DateTime.js';
import { Query } from './Query.js';

export const resolvers: Resolvers = { Query, Customer, CustomerQualification, DateTime };

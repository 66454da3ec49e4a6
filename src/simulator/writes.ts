import type { UpstreamQualification } from './data.js';
import type { SimulatorState } from './server.js';

export interface SimulatedAnswer {
  readonly status: number;
  readonly body: unknown;
}

const SETTABLE = new Map([
  ['education', 'Education'],
  ['governmentcommunitycloud', 'GovernmentCommunityCloud'],
  ['stateownedentity', 'StateOwnedEntity'],
]);
const SEGMENTS = new Set(['K12', 'HigherEducation']);

/**
 * `POST /v1/customers/{id}/qualifications` as Partner Center documents it: App+User tokens only
 * (the simulator treats tokens starting with `app-only` as App-only), a
 * `CustomerQualificationRequest` body, vetting that starts `InReview` (decided later by
 * `vetting.ts`), GCC validation codes that are used up, and one answer per `MS-RequestId` however
 * often it is sent. Each create is logged in the audit records, as `update_customer_qualification`.
 */
export function handleCreateQualification(
  state: SimulatorState,
  customerId: string,
  authorization: string,
  bodyText: string,
  requestId: string | undefined,
  by = 'gateway-caller@partner.example',
): SimulatedAnswer {
  const key = requestId?.toLowerCase();
  const earlier = key === undefined ? undefined : state.writes.get(key);
  if (earlier !== undefined) return earlier;
  const answer = create(state, customerId, authorization, bodyText, by);
  if (key !== undefined) state.writes.set(key, answer);
  return answer;
}

function create(
  state: SimulatorState,
  customerId: string,
  authorization: string,
  bodyText: string,
  by: string,
): SimulatedAnswer {
  if (/^Bearer\s+app-only/i.test(authorization)) {
    return error(403, 900329, 'The API does not support App-Only authentication.');
  }
  const customer = state.customers.get(customerId);
  if (customer === undefined) return error(404, 60003, 'Tenant not found.');

  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return error(400, 900001, 'The request body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null)
    return error(400, 900001, 'The request body is required.');
  const request = body as Record<string, unknown>;
  const kind =
    typeof request['qualification'] === 'string'
      ? SETTABLE.get(request['qualification'].toLowerCase())
      : undefined;
  if (kind === undefined) return error(400, 900002, 'Invalid qualification.');
  if (customer.qualifications.some((q) => q.qualification === kind)) {
    return error(409, 900003, `The customer already has the ${kind} qualification.`);
  }

  const created: UpstreamQualification = { qualification: kind };
  if (kind === 'Education') {
    const segment = request['educationSegment'];
    if (typeof segment !== 'string' || !SEGMENTS.has(segment)) {
      return error(400, 900004, 'educationSegment must be K12 or HigherEducation.');
    }
  }
  if (kind === 'GovernmentCommunityCloud') {
    const code = request['validationCode'];
    const validation = state.validationCodes.find((v) => v.validationId === String(code));
    if (validation === undefined) return error(400, 900005, 'Invalid validation code.');
    if (validation.remainingCreates <= 0)
      return error(400, 900006, 'The validation code has no creates left.');
    if (customer.qualifications.length > 0) {
      return error(
        400,
        900007,
        'A validation code only works for a customer without qualifications.',
      );
    }
    validation.remainingCreates -= 1;
  }
  if (kind !== 'StateOwnedEntity') {
    created['vettingStatus'] = 'InReview';
    created['vettingCreateDate'] = new Date(state.now()).toISOString();
    state.vetting.started(created);
  }
  customer.qualifications.push(created);
  state.audit.add({
    customerId,
    customerName: state.profilesById.get(customerId)?.companyName ?? '',
    resourceType: 'customer',
    operationType: 'update_customer_qualification',
    newValue: created,
    by,
  });
  return { status: 201, body: created };
}

function error(status: number, code: number, description: string): SimulatedAnswer {
  return { status, body: { code, description, data: [], source: 'PartnerFD' } };
}

import { isContinuationToken } from './continuation-token.js';
import { parseAuditRecordsPage } from './audit-guard.js';
import { parseCustomer, parseCustomerPage } from './customer-guard.js';
import type { HttpClient } from './http-client.js';
import { parseQualification, parseQualifications } from './qualification-guard.js';
import type {
  AuditRecordsPage,
  AuditRecordsRequest,
  CallContext,
  CreateQualificationRequest,
  CreateQualificationResult,
  CustomerListRequest,
  CustomerListResult,
  CustomerProfileRecord,
  QualificationRecord,
  ValidationCodeRecord,
} from './types.js';
import { parseValidationCodes } from './validation-guard.js';

/** The Partner Center endpoints this gateway uses, one function each. */
export interface PartnerCenterApi {
  /**
   * `GET /v1/customers/{id}/qualifications`. Resolves `null` when Partner Center does not know
   * the customer (404). `customerId` must already be a validated, normalised GUID.
   */
  getCustomerQualifications(
    customerId: string,
    call: CallContext,
  ): Promise<QualificationRecord[] | null>;

  /**
   * `POST /v1/customers/{id}/qualifications` with `requestId` as `MS-RequestId` on every attempt,
   * so Partner Center applies it once however often it is sent.
   */
  createCustomerQualification(
    customerId: string,
    request: CreateQualificationRequest,
    requestId: string,
    call: CallContext,
  ): Promise<CreateQualificationResult>;

  /** `GET /v1/customers/all/validations`: the partner's GCC validation codes. */
  getValidationCodes(call: CallContext): Promise<ValidationCodeRecord[]>;

  /**
   * `GET /v1/customers/{id}`: the company profile. Resolves `null` when Partner Center does not
   * know the customer (404). `customerId` must already be a validated, normalised GUID.
   */
  getCustomer(customerId: string, call: CallContext): Promise<CustomerProfileRecord | null>;

  /**
   * `GET /v1/customers?size=&filter=` for the first page, `?size=&seekOperation=next` with the
   * `MS-ContinuationToken` header for the following ones. A token Partner Center refuses (400 or
   * 404) is an answer, `token-refused`, not a failure.
   */
  listCustomers(request: CustomerListRequest, call: CallContext): Promise<CustomerListResult>;

  /**
   * `GET /v1/auditrecords?startDate=&endDate=` for the first page, `?seekOperation=next` with the
   * `MS-ContinuationToken` header for the following ones: what the partner and its apps changed.
   */
  listAuditRecords(request: AuditRecordsRequest, call: CallContext): Promise<AuditRecordsPage>;
}

const NOT_FOUND: ReadonlySet<number> = new Set([404]);
const TOKEN_REFUSALS: ReadonlySet<number> = new Set([400, 404]);
/** Answers about the request itself, which the mutation reports as typed payload errors. */
const REFUSALS: ReadonlySet<number> = new Set([400, 403, 404, 409]);

/**
 * Path, route template and subject of a request about one customer, all from the one id, so
 * they cannot disagree and the subject cannot be left out (the 429 holds and the breaker's
 * per-customer counting key on it). `customerId` is already a validated, normalised GUID.
 */
function aboutCustomer<Resource extends '' | '/qualifications'>(
  customerId: string,
  resource: Resource,
) {
  return {
    path: `/v1/customers/${encodeURIComponent(customerId)}${resource}`,
    route: `/v1/customers/{id}${resource}` as const,
    subject: customerId,
  };
}

export function createPartnerCenterApi(http: HttpClient): PartnerCenterApi {
  return {
    async getCustomerQualifications(customerId, call) {
      const { json, status } = await http.send(
        {
          method: 'GET',
          ...aboutCustomer(customerId, '/qualifications'),
          answerStatuses: NOT_FOUND,
        },
        call,
      );
      return status === 404 ? null : parseQualifications(json);
    },

    async createCustomerQualification(customerId, request, requestId, call) {
      const answer = await http.send(
        {
          method: 'POST',
          ...aboutCustomer(customerId, '/qualifications'),
          body: request,
          requestId,
          answerStatuses: REFUSALS,
        },
        call,
      );
      if (answer.status >= 300) {
        return { kind: 'refused', status: answer.status, upstreamCode: answer.error?.code };
      }
      return { kind: 'created', qualification: createdQualification(answer.json, request) };
    },

    async getValidationCodes(call) {
      const { json } = await http.send(
        {
          method: 'GET',
          path: '/v1/customers/all/validations',
          route: '/v1/customers/all/validations',
        },
        call,
      );
      return parseValidationCodes(json);
    },

    async getCustomer(customerId, call) {
      const { json, status } = await http.send(
        {
          method: 'GET',
          ...aboutCustomer(customerId, ''),
          answerStatuses: NOT_FOUND,
        },
        call,
      );
      return status === 404 ? null : parseCustomer(json);
    },

    async listCustomers({ size, filter, continuationToken }, call) {
      const token = continuationToken;
      // The directory checks tokens before they get here; this keeps a header injection from
      // ever being sent, whoever calls.
      if (token !== undefined && !isContinuationToken(token)) {
        throw new TypeError('continuation token is not a safe header value');
      }
      const query = new URLSearchParams({ size: String(size) });
      if (token !== undefined) query.set('seekOperation', 'next');
      else if (filter !== undefined) {
        query.set(
          'filter',
          JSON.stringify({ Field: filter.field, Value: filter.value, Operator: 'starts_with' }),
        );
      }
      const answer = await http.send(
        {
          method: 'GET',
          path: `/v1/customers?${query.toString().replaceAll('+', '%20')}`,
          route: '/v1/customers',
          ...(token === undefined
            ? {}
            : { headers: { 'ms-continuationtoken': token }, answerStatuses: TOKEN_REFUSALS }),
        },
        call,
      );
      if (answer.status >= 300) return { kind: 'token-refused', status: answer.status };
      return { kind: 'page', page: parseCustomerPage(answer.json) };
    },

    async listAuditRecords({ startDate, endDate, continuationToken: token }, call) {
      if (token !== undefined && !isContinuationToken(token)) {
        throw new TypeError('continuation token is not a safe header value');
      }
      const query = new URLSearchParams();
      if (token !== undefined) query.set('seekOperation', 'next');
      else {
        query.set('startDate', startDate);
        if (endDate !== undefined) query.set('endDate', endDate);
      }
      const { json } = await http.send(
        {
          method: 'GET',
          path: `/v1/auditrecords?${query.toString()}`,
          route: '/v1/auditrecords',
          ...(token === undefined ? {} : { headers: { 'ms-continuationtoken': token } }),
        },
        call,
      );
      return parseAuditRecordsPage(json);
    },
  };
}

/**
 * The docs answer a create with the new object, the reference with the collection: take the
 * object, or the collection's entry of the kind just added. Nothing usable is `null`, not an
 * error: the write happened, and the customer read that follows shows it.
 */
function createdQualification(
  json: unknown,
  request: CreateQualificationRequest,
): QualificationRecord | null {
  if (
    typeof json === 'object' &&
    json !== null &&
    !Array.isArray(json) &&
    'qualification' in json
  ) {
    return parseQualification(json);
  }
  if (json === undefined) return null;
  const wanted = request.qualification.toLowerCase();
  return (
    parseQualifications(json).find((record) => record.qualification.toLowerCase() === wanted) ??
    null
  );
}

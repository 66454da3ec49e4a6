import type { FaultName } from './data.js';

/** What the simulator sends: a JSON answer, possibly trickled, or no answer at all. */
export type Reply =
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly text: string;
      readonly headers?: Readonly<Record<string, string>>;
      /** Send half the body, wait this long, then the rest. */
      readonly trickleMs?: number;
    }
  | { readonly kind: 'hang' }
  | { readonly kind: 'reset' };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { kind: 'answer', status, text: JSON.stringify(body), headers };
}

/** Partner Center-shaped misbehaviour, one kind per fault. */
export function faultReply(fault: FaultName, slowBodyMs: number): Reply {
  switch (fault) {
    case 'unauthorized':
      return json(
        401,
        { code: 800002, description: 'The access token has expired.' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    case 'forbidden':
      return json(403, {
        code: 20002,
        description: 'No relationship between caller and account.',
        data: [],
        source: 'PartnerFD',
      });
    case 'notFound':
      return json(404, { code: '60003', description: 'Tenant not found.' });
    case 'throttled':
    case 'throttledOnce':
      return json(
        429,
        { statusCode: 429, message: 'Rate limit is exceeded. Try again in 1 seconds.' },
        { 'retry-after': '1' },
      );
    case 'throttledLong':
      return json(
        429,
        { statusCode: 429, message: 'Rate limit is exceeded. Try again in 30 seconds.' },
        { 'retry-after': '30' },
      );
    case 'serverError':
      return json(500, 'An unexpected error has occurred.');
    case 'unavailable':
    case 'unavailableOnce':
      return json(503, { message: 'Service Unavailable' });
    case 'hang':
      return { kind: 'hang' };
    case 'malformedJson':
      return {
        kind: 'answer',
        status: 200,
        text: '[{"qualification": "Education", "vettingStatus": ',
      };
    case 'wrongShape':
      return json(200, { value: 'Education' });
    case 'badDate':
      return json(200, [
        { qualification: 'Education', vettingStatus: 'InReview', vettingCreateDate: 'yesterday' },
      ]);
    case 'slowBody':
      return {
        kind: 'answer',
        status: 200,
        text: JSON.stringify([{ qualification: 'Education', vettingStatus: 'Approved' }]),
        trickleMs: slowBodyMs,
      };
    case 'connectionReset':
      return { kind: 'reset' };
  }
}

import type { FormattedExecutionResult, GraphQLFormattedError } from 'graphql';

/**
 * Apollo's multipart HTTP subscription protocol, as Apollo Router frames it: the boundary is
 * `graphql` and every part ends with the next delimiter. Clients (Apollo Client's `HttpLink`)
 * parse a part only once the delimiter after it has arrived; ending each part with one delivers
 * it at once instead of with the next heartbeat. The body is `OPENING`, then parts, then
 * `CLOSING`, which turns the last delimiter into the closing one (`--graphql--`).
 */
export const MULTIPART_CONTENT_TYPE = 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"';

/** The first delimiter, sent with the headers: the stream is open. */
export const OPENING = '\r\n--graphql';

/** Appended to the last part's delimiter: `--graphql--`, the end of the stream. */
export const CLOSING = '--\r\n';

/** Router's interval: below every common idle timeout of proxies and load balancers. */
export const HEARTBEAT_EVERY_MS = 5_000;

/** One JSON part, followed by the delimiter that lets the client read it. */
export function part(body: unknown): string {
  return `\r\ncontent-type: application/json\r\n\r\n${JSON.stringify(body)}\r\n--graphql`;
}

/** Tells the client (and every proxy between) that the stream is alive; clients skip it. */
export const HEARTBEAT = part({});

/** One event: the execution result, whole, as `payload`. */
export function eventPart(result: FormattedExecutionResult): string {
  return part({ payload: result });
}

/**
 * A transport-level error: the subscription cannot go on (Apollo Client reports the errors as
 * `protocolErrors`). Always the stream's last part.
 */
export function transportErrorPart(errors: readonly GraphQLFormattedError[]): string {
  return part({ payload: null, errors });
}

/**
 * Whether an `Accept` header asks for multipart subscriptions: a `multipart/mixed` range whose
 * `subscriptionSpec` is `1.0`, quoted (the protocol's docs) or not (Apollo Client's
 * `multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json`), and not `q=0`.
 * A few lines rather than a negotiation library: only this one range matters here.
 */
export function acceptsMultipartSubscriptions(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return splitOutsideQuotes(accept, ',').some((range) => {
    const [type = '', ...params] = splitOutsideQuotes(range, ';').map((item) => item.trim());
    if (type.toLowerCase() !== 'multipart/mixed') return false;
    const values = new Map<string, string>();
    for (const param of params) {
      const equals = param.indexOf('=');
      if (equals < 0) continue;
      const value = param.slice(equals + 1).trim();
      values.set(
        param.slice(0, equals).trim().toLowerCase(),
        value.startsWith('"') && value.endsWith('"') && value.length >= 2
          ? value.slice(1, -1)
          : value,
      );
    }
    const q = values.get('q');
    return values.get('subscriptionspec') === '1.0' && (q === undefined || Number(q) > 0);
  });
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const items: string[] = [];
  let quoted = false;
  let start = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      items.push(text.slice(start, index));
      start = index + 1;
    }
  }
  items.push(text.slice(start));
  return items;
}

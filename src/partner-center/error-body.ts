/**
 * Partner Center error bodies come in several shapes: the documented
 * `{code, description, data, source}`, a numeric `code`, `message` instead of `description`, a
 * gateway-style `{statusCode, message}` on 429, or a bare JSON string. This reads whatever is
 * there without trusting any of it.
 */
export interface ErrorBody {
  readonly code?: string;
  readonly description?: string;
}

const MAX_DESCRIPTION = 1024;

export function parseErrorBody(text: string): ErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.length > 0 ? { description: clip(text) } : {};
  }
  if (typeof json === 'string') return { description: clip(json) };
  if (typeof json !== 'object' || json === null) return {};
  const record = json as Record<string, unknown>;
  const code = record['code'];
  const description =
    typeof record['description'] === 'string' ? record['description'] : record['message'];
  return {
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(typeof description === 'string' ? { description: clip(description) } : {}),
  };
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Only an HTTP date (it starts with a day name): Date.parse alone takes "1.5" for 2001-01-05.
  if (!/^[A-Za-z]{3},? /.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

function clip(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}

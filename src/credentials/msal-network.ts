import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Dispatcher } from 'undici';

/**
 * MSAL's HTTP calls (authority metadata, token endpoint) over undici, like every other call the
 * gateway makes: one dispatcher, which tests give a CA of their own to trust a local authority.
 */
export function undiciNetworkModule(dispatcher: Dispatcher, timeoutMs: number): INetworkModule {
  async function send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    const response = await dispatcher.request({
      origin: target.origin,
      path: target.pathname + target.search,
      method,
      headers: options?.headers ?? {},
      ...(options?.body === undefined ? {} : { body: options.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    // MSAL reads JSON bodies itself from this shape; a non-JSON error page becomes an empty body.
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = {};
    }
    return { headers, body: body as T, status: response.statusCode };
  }

  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

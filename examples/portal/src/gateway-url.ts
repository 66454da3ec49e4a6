/** Where the portal finds the gateway when nothing says otherwise: `npm start`'s address. */
const DEFAULT_GATEWAY_URL = 'http://localhost:4000/graphql';

/**
 * The gateway's URL, decided when the page loads rather than at build time, so one bundle
 * serves any gateway: `?gateway=…` in the page's address, else `config.json` beside the page
 * (which `npm run portal` and the browser test write), else `npm start`'s default.
 */
export async function resolveGatewayUrl(location: Location): Promise<string> {
  const fromQuery = new URLSearchParams(location.search).get('gateway');
  if (fromQuery !== null && fromQuery !== '') return fromQuery;
  try {
    const response = await fetch(new URL('config.json', location.href));
    if (response.ok) {
      const config: unknown = await response.json();
      if (typeof config === 'object' && config !== null && 'gatewayUrl' in config) {
        const { gatewayUrl } = config;
        if (typeof gatewayUrl === 'string' && gatewayUrl !== '') return gatewayUrl;
      }
    }
  } catch {
    // A static host without config.json: fall through to the default.
  }
  return DEFAULT_GATEWAY_URL;
}

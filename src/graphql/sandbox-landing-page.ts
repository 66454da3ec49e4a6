import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageLocalDefault,
  type ApolloServerPluginLandingPageLocalDefaultOptions,
} from '@apollo/server/plugin/landingPage/default';

/*
 * Apollo's embedded Sandbox takes `initialSubscriptionEndpoint` beside `initialEndpoint`, but
 * Apollo Server's landing page plugin passes no option through to it: its page script sets
 * `initialEndpoint` from the location and hands the rest over as fixed JSON. These are the two
 * places of that script where the subscription endpoint joins it.
 */
const ENDPOINT_LINE = 'var initialEndpoint = window.location.href;';
const OPTIONS_TAIL = 'initialEndpoint,\n    }';

/**
 * The page's own path over ws: (wss: under https:), so Sandbox subscribes where it queries, behind
 * a TLS-terminating proxy or a path prefix as well, without the gateway knowing its public URL.
 */
const SUBSCRIPTION_ENDPOINT_LINES = `
  var subscriptionUrl = new URL(window.location.pathname, window.location.href);
  subscriptionUrl.protocol = subscriptionUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  var initialSubscriptionEndpoint = subscriptionUrl.href;`;

/** Apollo's Sandbox page, with its subscription endpoint; unchanged if Apollo's script moved. */
export function withSubscriptionEndpoint(html: string): string | undefined {
  if (!html.includes(ENDPOINT_LINE) || !html.includes(OPTIONS_TAIL)) return undefined;
  return html
    .replace(ENDPOINT_LINE, `${ENDPOINT_LINE}${SUBSCRIPTION_ENDPOINT_LINES}`)
    .replace(OPTIONS_TAIL, 'initialEndpoint,\n      initialSubscriptionEndpoint,\n    }');
}

/**
 * Apollo Server's local Sandbox landing page whose subscriptions go over graphql-ws to the same
 * path. If a later Apollo Server writes its page differently, the page is served as Apollo wrote
 * it (Sandbox then picks a subscription URL itself) and the gateway says so once in its log.
 */
export function sandboxLandingPage(
  options: ApolloServerPluginLandingPageLocalDefaultOptions,
): ApolloServerPlugin {
  const apollo = ApolloServerPluginLandingPageLocalDefault(options);
  return {
    ...apollo,
    async serverWillStart(service) {
      const listener = await apollo.serverWillStart?.(service);
      const render = listener?.renderLandingPage?.bind(listener);
      if (listener === undefined || render === undefined) return listener;
      let warned = false;
      return {
        ...listener,
        async renderLandingPage() {
          const page = await render();
          const original = page.html;
          return {
            ...page,
            html: async () => {
              const html = typeof original === 'string' ? original : await original();
              const changed = withSubscriptionEndpoint(html);
              if (changed !== undefined) return changed;
              if (!warned) {
                warned = true;
                service.logger.warn(
                  "Apollo Server's Sandbox page has no place for the subscription endpoint; served as is",
                );
              }
              return html;
            },
          };
        },
      };
    },
  };
}

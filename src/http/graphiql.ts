import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { EXAMPLE_OPERATION, EXAMPLE_VARIABLES } from '../graphql/sandbox-example.js';

const require = createRequire(import.meta.url);

/**
 * GraphiQL's browser build and the React it runs on, from the npm registry, served by the gateway
 * itself: networks that block Apollo's Sandbox CDN still get an IDE.
 */
const ASSETS: Record<string, { pkg: string; file: string; type: string }> = {
  'react.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': {
    pkg: 'react-dom',
    file: 'umd/react-dom.production.min.js',
    type: 'text/javascript',
  },
  'graphiql.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

/** A file of an installed package; the browser builds are outside the packages' `exports`. */
function packageFile(pkg: string, file: string): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

/**
 * `Host` as browsers send it (a name or an address, a port). A value outside that shape comes from
 * no browser that could open the page, and is kept out of the policy it would otherwise extend.
 */
const BROWSER_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Everything from the gateway's own origin; styles inline too, as GraphiQL sets them at run time.
 * Subscriptions open a WebSocket to the same host, which `'self'` covers only in browsers that
 * follow CSP Level 3 there: the ws: and wss: forms of the host are named besides.
 */
function contentSecurityPolicy(host: string): string {
  const sockets = BROWSER_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self'${sockets}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// No inline script (the policy forbids it): the page's settings travel as inert JSON. Subscriptions
// go over graphql-ws to the endpoint's own URL as the browser sees it (wss: under https:, behind a
// proxy too), the headers editor's JSON being the connection_init payload.
const INIT_SCRIPT = `'use strict';
const settings = JSON.parse(document.getElementById('graphiql-settings').textContent);
const subscriptionUrl = new URL(settings.endpoint, window.location.href);
subscriptionUrl.protocol = subscriptionUrl.protocol === 'https:' ? 'wss:' : 'ws:';
const fetcher = GraphiQL.createFetcher({
  url: settings.endpoint,
  subscriptionUrl: subscriptionUrl.href,
});
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: settings.query,
    variables: settings.variables,
    headers: settings.headers,
    defaultEditorToolsVisibility: 'variables',
  }),
);
`;

function page(): string {
  const settings = JSON.stringify({
    endpoint: '/graphql',
    query: EXAMPLE_OPERATION,
    variables: JSON.stringify(EXAMPLE_VARIABLES, null, 2),
    headers: '{}',
  }).replaceAll('<', '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Partner Center qualifications · GraphiQL</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/graphiql/assets/graphiql.css" />
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script type="application/json" id="graphiql-settings">${settings}</script>
    <script src="/graphiql/assets/react.js"></script>
    <script src="/graphiql/assets/react-dom.js"></script>
    <script src="/graphiql/assets/graphiql.js"></script>
    <script src="/graphiql/assets/init.js"></script>
  </body>
</html>
`;
}

/** `GET /graphiql` and its assets, with a Content-Security-Policy that allows nothing remote. */
export function registerGraphiql(app: FastifyInstance): void {
  const files = new Map<string, Promise<Buffer>>();
  const html = page();

  app.get('/graphiql', (request, reply) =>
    reply
      .header('content-security-policy', contentSecurityPolicy(request.host))
      .header('x-content-type-options', 'nosniff')
      .type('text/html; charset=utf-8')
      .send(html),
  );
  app.get('/graphiql/assets/init.js', (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(INIT_SCRIPT),
  );
  app.get<{ Params: { file: string } }>('/graphiql/assets/:file', async (request, reply) => {
    const asset = Object.hasOwn(ASSETS, request.params.file)
      ? ASSETS[request.params.file]
      : undefined;
    if (asset === undefined) return reply.code(404).send({ error: 'not found' });
    // Read once, on first use: most deployments never open the IDE.
    let content = files.get(request.params.file);
    if (content === undefined) {
      content = readFile(packageFile(asset.pkg, asset.file));
      files.set(request.params.file, content);
    }
    return reply
      .type(`${asset.type}; charset=utf-8`)
      .header('cache-control', 'public, max-age=86400')
      .header('x-content-type-options', 'nosniff')
      .send(await content);
  });
}

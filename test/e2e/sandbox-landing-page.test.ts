import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_OPERATION, EXAMPLE_VARIABLES } from '../../src/graphql/sandbox-example.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { chromiumAvailable, launchChromium } from '../helpers/headless-chromium.js';

const SANDBOX_SCRIPT = /^https:\/\/embeddable-sandbox\.cdn\.apollographql\.com\//;

let running: RunningGateway;

beforeAll(async () => {
  running = await startGateway({});
});

afterAll(async () => {
  await running.close();
});

async function landingPage(): Promise<string> {
  const response = await fetch(running.graphqlUrl, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  return response.text();
}

it("starts Sandbox with the example operations and the page's own path over ws: for subscriptions", async () => {
  const html = await landingPage();

  const scripts = [...html.matchAll(/<script nonce="[0-9a-f]{64}">([^<]*)<\/script>/g)];
  expect(scripts).toHaveLength(1);
  const config = {
    target: '#embeddableSandbox',
    initialState: {
      document: EXAMPLE_OPERATION,
      variables: EXAMPLE_VARIABLES,
      includeCookies: false,
    },
    hideCookieToggle: false,
    endpointIsEditable: false,
    runtime: expect.stringMatching(/^@apollo\/server@5\./) as unknown,
    runTelemetry: true,
    allowDynamicStyles: false,
  };
  const [script] = scripts.map((match) => match[1]);
  const configLine = /\n {2}var embeddedSandboxConfig = (.*);\n/.exec(script ?? '');
  expect(JSON.parse(configLine?.[1] ?? 'null')).toEqual(config);
  expect(script?.replace(configLine?.[1] ?? '', '<config>')).toBe(`
  var initialEndpoint = window.location.href;
  var subscriptionUrl = new URL(window.location.pathname, window.location.href);
  subscriptionUrl.protocol = subscriptionUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  var initialSubscriptionEndpoint = subscriptionUrl.href;
  var embeddedSandboxConfig = <config>;
  new window.EmbeddedSandbox(
    {
      ...embeddedSandboxConfig,
      initialEndpoint,
      initialSubscriptionEndpoint,
    }
  );
`);
});

describe.skipIf(!chromiumAvailable)(
  'in Chromium, with Sandbox itself replaced by a recorder',
  () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser.close();
    });

    it('hands Sandbox ws://<host>/graphql for subscriptions, whatever the query string', async () => {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      // Sandbox comes from Apollo's CDN, which a closed network cannot reach: a stand-in records
      // the options the page gives it, and nothing leaves the machine.
      const outside: string[] = [];
      await page.route(
        (url) => !url.href.startsWith(`${running.origin}/`),
        async (route) => {
          const url = route.request().url();
          if (SANDBOX_SCRIPT.test(url)) {
            await route.fulfill({
              contentType: 'text/javascript',
              body: 'window.EmbeddedSandbox = function (options) { window.sandboxOptions = options; };',
            });
            return;
          }
          outside.push(url);
          await route.abort();
        },
      );

      await page.goto(`${running.graphqlUrl}?from=readme#top`);
      // The test's own types know no DOM: the page is asked in its own language.
      const options = await page.waitForFunction('window.sandboxOptions');

      expect(await options.jsonValue()).toEqual({
        target: '#embeddableSandbox',
        initialState: {
          document: EXAMPLE_OPERATION,
          variables: EXAMPLE_VARIABLES,
          includeCookies: false,
        },
        hideCookieToggle: false,
        endpointIsEditable: false,
        runtime: expect.stringMatching(/^@apollo\/server@5\./) as unknown,
        runTelemetry: true,
        allowDynamicStyles: false,
        initialEndpoint: `${running.graphqlUrl}?from=readme#top`,
        initialSubscriptionEndpoint: running.graphqlUrl.replace(/^http:/, 'ws:'),
      });
      expect(problems).toEqual([]);
      // Apollo's page asks for its fonts and icons there too; they are refused, not fetched.
      expect(outside.every((url) => url.startsWith('https://'))).toBe(true);
    });
  },
);

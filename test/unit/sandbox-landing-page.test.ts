import { expect, it } from 'vitest';
import { withSubscriptionEndpoint } from '../../src/graphql/sandbox-landing-page.js';

const APOLLO_SCRIPT = `
  var initialEndpoint = window.location.href;
  var embeddedSandboxConfig = {};
  new window.EmbeddedSandbox(
    {
      ...embeddedSandboxConfig,
      initialEndpoint,
    }
  );
`;

it("adds the subscription endpoint where Apollo's page script sets the endpoint", () => {
  expect(withSubscriptionEndpoint(APOLLO_SCRIPT)).toBe(`
  var initialEndpoint = window.location.href;
  var subscriptionUrl = new URL(window.location.pathname, window.location.href);
  subscriptionUrl.protocol = subscriptionUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  var initialSubscriptionEndpoint = subscriptionUrl.href;
  var embeddedSandboxConfig = {};
  new window.EmbeddedSandbox(
    {
      ...embeddedSandboxConfig,
      initialEndpoint,
      initialSubscriptionEndpoint,
    }
  );
`);
});

it('leaves a page written otherwise to be served as it is', () => {
  expect(withSubscriptionEndpoint(APOLLO_SCRIPT.replace('initialEndpoint,', 'endpoint,'))).toBe(
    undefined,
  );
  expect(
    withSubscriptionEndpoint(APOLLO_SCRIPT.replace('window.location.href;', 'location.href;')),
  ).toBe(undefined);
});

import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { SAMPLE_CUSTOMER_IDS } from '../../src/simulator/data.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { chromiumAvailable, launchChromium } from '../helpers/headless-chromium.js';

const SCREENSHOT = 'test-results/graphiql.png';
const SUBSCRIPTION_SCREENSHOT = 'test-results/graphiql-subscription.png';

let running: RunningGateway;
let browser: Browser;
const pages: Page[] = [];

beforeAll(async () => {
  if (chromiumAvailable) browser = await launchChromium();
});

afterAll(async () => {
  if (chromiumAvailable) await browser.close();
});

// The simulator's clock: a test moves it to have Partner Center decide a vetting at once.
let clock = Date.now();

// A gateway per test: what one test read stays out of the other's cache and call counts. Watched
// InReview customers are polled every second and never answered from the cache, as in a demo.
beforeEach(async () => {
  if (!chromiumAvailable) return;
  clock = Date.now();
  running = await startGateway({
    fallbackAuthorization: 'Bearer simulator-demo-token',
    env: { WATCH_POLL_IN_REVIEW_SECONDS: '1', CACHE_MAX_AGE_IN_REVIEW_SECONDS: '0' },
    simulator: { vettingSeconds: 120, now: () => clock },
  });
});

// Pages first: a page still subscribed would hold the gateway's shutdown for its grace period.
afterEach(async () => {
  if (!chromiumAvailable) return;
  await Promise.all(pages.splice(0).map((page) => page.close()));
  await running.close();
});

interface OpenedGraphiql {
  readonly page: Page;
  /** Every URL the page asked for, in order. */
  readonly requested: readonly string[];
  /** Console errors and uncaught exceptions. */
  readonly problems: readonly string[];
  readonly contentSecurityPolicy: string | undefined;
}

async function openGraphiql(): Promise<OpenedGraphiql> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  pages.push(page);
  const requested: string[] = [];
  const problems: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('websocket', (socket) => requested.push(socket.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  const response = await page.goto(`${running.origin}/graphiql`);
  return {
    page,
    requested,
    problems,
    contentSecurityPolicy: response?.headers()['content-security-policy'],
  };
}

/** The example document holds two operations: GraphiQL's run button asks which one. */
async function run(page: Page, operationName: string): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
  await page.getByRole('menuitem', { name: operationName }).click();
}

it.skipIf(!chromiumAvailable)(
  'runs the example query in the offline GraphiQL, loading nothing from outside the gateway',
  async () => {
    const { page, requested, problems, contentSecurityPolicy } = await openGraphiql();

    await run(page, 'CustomerDirectory');
    const result = page.locator('.result-window');
    // The result editor renders only the lines in view: wait for the top of the answer.
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain('"companyName": "Contoso University"');
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    const host = new URL(running.origin).host;
    expect(contentSecurityPolicy).toBe(
      [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        `connect-src 'self' ws://${host} wss://${host}`,
        "img-src 'self' data:",
        "font-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    // The example starts with the directory: its first customer is Education-approved.
    expect(await result.textContent()).toContain('"relationshipToPartner": "RESELLER"');
    expect(await result.textContent()).toContain('"isEducation": true');
    expect(
      requested.filter((url) => !url.startsWith(`${running.origin}/`) && !url.startsWith('data:')),
    ).toEqual([]);
    expect(problems).toEqual([]);
  },
);

/** The result pane's whole text (it renders only the lines in view), parsed. */
async function resultShown(page: Page): Promise<unknown> {
  return JSON.parse(
    await page.evaluate<string>(
      "document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()",
    ),
  );
}

function watchedEvent(vetting: { vettingStatus: string; vettingReason: string | null }): unknown {
  return {
    data: {
      customerQualificationsChanged: {
        id: SAMPLE_CUSTOMER_IDS.educationInReview,
        companyName: 'Fabrikam School District',
        qualificationsReadAt: expect.stringMatching(
          /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/,
        ) as unknown,
        qualifications: [
          {
            qualification: 'EDUCATION',
            ...vetting,
            vettingCreatedDate: '2020-12-04T20:54:24.000Z',
          },
        ],
      },
    },
  };
}

it.skipIf(!chromiumAvailable)(
  "runs the example subscription over graphql-ws to the page's own host: its first event, then Partner Center's decision",
  async () => {
    const { page, requested, problems } = await openGraphiql();

    await run(page, 'WatchVetting');
    const result = page.locator('.result-window');
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain('"vettingStatus": "IN_REVIEW"');

    // The first event is the customer as it is now: the simulator's InReview sample.
    expect(await resultShown(page)).toEqual(
      watchedEvent({ vettingStatus: 'IN_REVIEW', vettingReason: null }),
    );
    // Microsoft decides; the next poll finds it and GraphiQL shows the event that carries it.
    clock += 121_000;
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain('"vettingStatus": "APPROVED"');
    expect(await resultShown(page)).toEqual(
      watchedEvent({ vettingStatus: 'APPROVED', vettingReason: null }),
    );
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: SUBSCRIPTION_SCREENSHOT });

    // The profile is read once, for the first event's name; the polls read qualifications only.
    const customer = `/v1/customers/${SAMPLE_CUSTOMER_IDS.educationInReview}`;
    const calls = running.simulator.requests.map(({ method, path }) => `${method} ${path}`);
    expect(calls.slice(0, 2)).toEqual([`GET ${customer}/qualifications`, `GET ${customer}`]);
    expect(new Set(calls.slice(2))).toEqual(new Set([`GET ${customer}/qualifications`]));
    expect(
      requested.filter((url) => !url.startsWith(`${running.origin}/`) && !url.startsWith('data:')),
    ).toEqual([running.graphqlUrl.replace(/^http:/, 'ws:')]);
    expect(problems).toEqual([]);
  },
  // Two waits for a browser on a loaded machine: a page load and a poll each.
  60_000,
);

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Locator, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildPortal } from '../../examples/portal/server/build-portal.js';
import {
  startPortalServer,
  type PortalServer,
} from '../../examples/portal/server/static-server.js';
import { generatedCustomerId } from '../../src/simulator/data.js';
import { seedProfiles } from '../../src/simulator/profiles.js';
import { until } from '../helpers/cache.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { chromiumAvailable, launchChromium } from '../helpers/headless-chromium.js';

/** Debian's Chromium, which .ci/run installs; a machine without it skips this file. */
const available = chromiumAvailable;

/** How long the simulator's reviews last; the test moves the simulator's clock past it. */
const VETTING_SECONDS = 600;
/** A customer without qualifications (generated shape 6), its id with letters to upper-case. */
const CUSTOMER = generatedCustomerId(6);
const CUSTOMER_NAME = 'Humongous Schools 0006';
const ALPINE = seedProfiles(1000).filter((p) => p.companyName.startsWith('Alpine'));
/** One customer of the first page whose qualifications read Partner Center refuses. */
const FAILING = ALPINE[3]?.id ?? '';

let clock = Date.now();
let bundle: string;
let portal: PortalServer;
let running: RunningGateway;
/** Served to the portal as config.json; known once the gateway (which needs the portal's origin) listens. */
let gatewayUrl: string | undefined;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  bundle = await mkdtemp(join(tmpdir(), 'portal-'));
  await buildPortal(bundle);
  // Its own port, so every call to the gateway is cross-origin, as in production.
  portal = await startPortalServer({
    dir: bundle,
    port: 0,
    host: '127.0.0.1',
    gatewayUrl: () => gatewayUrl,
  });
  running = await startGateway({
    env: {
      CORS_ORIGINS: portal.origin,
      // The watch reads in-review customers every second, through a cache that keeps them for
      // one: the decided review reaches the page soon after the clock moves.
      WATCH_POLL_IN_REVIEW_SECONDS: '1',
      CACHE_MAX_AGE_IN_REVIEW_SECONDS: '1',
      // Settled answers too go stale within the test, for the stale banner.
      CACHE_MAX_AGE_SECONDS: '1',
    },
    // As `npm run portal`: the portal has no sign-in, the simulator's demo token stands in.
    fallbackAuthorization: 'Bearer simulator-demo-token',
    simulator: { vettingSeconds: VETTING_SECONDS, now: () => clock },
  });
  gatewayUrl = running.graphqlUrl;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  if (!available) return;
  await browser.close();
  await running.close();
  await portal.close();
  await rm(bundle, { recursive: true, force: true });
});

/** Uncaught errors and console errors (a request CORS refused shows there) fail the test. */
function watchForProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
}

/** The portal's POSTs to the gateway, by operation name. */
function gatewayCalls(page: Page): Request[] {
  const calls: Request[] = [];
  page.on('request', (request) => {
    if (request.url() === running.graphqlUrl && request.method() === 'POST') calls.push(request);
  });
  return calls;
}

/**
 * Waits until one of `locator`'s elements shows exactly `text` (or matches it): Playwright's own
 * wait for a condition, with no timed assertion; the test's timeout bounds it.
 */
async function shows(locator: Locator, text: string | RegExp): Promise<void> {
  const pattern = typeof text === 'string' ? new RegExp(`^${escapeRegExp(text)}$`) : text;
  await locator.filter({ hasText: pattern }).first().waitFor();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function operationOf(request: Request): unknown {
  return (request.postDataJSON() as { operationName?: unknown } | null)?.operationName;
}

function qualificationReads(id: string): number {
  return running.simulator.requests.filter(
    (r) => r.method === 'GET' && r.path === `/v1/customers/${id}/qualifications`,
  ).length;
}

it.skipIf(!available)(
  'searches and scrolls the directory, keeping a customer whose read failed on its row',
  async () => {
    running.simulator.setFault(FAILING, 'forbidden');
    const page = await browser.newPage({ viewport: { width: 1000, height: 500 } });
    const problems: string[] = [];
    watchForProblems(page, problems);

    await page.goto(`${portal.origin}/`);
    await page.getByLabel('Company name starts with').fill('Alpine');
    await page.getByRole('button', { name: 'Search' }).click();
    await shows(page.getByTestId('total-count'), '50 customers');
    const rows = page.getByTestId('customer-row');
    await rows.nth(19).waitFor();

    // Each time the sentinel at the bottom scrolls into view, the next page joins the list.
    // A string: the test's own tsconfig has no DOM types.
    const toBottom = () => page.evaluate('window.scrollTo(0, document.body.scrollHeight)');
    await toBottom();
    await rows.nth(39).waitFor();
    await toBottom();
    await page.getByTestId('end-of-directory').waitFor();
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/portal-directory.png' });

    const ids = await Promise.all(
      (await rows.all()).map((row) => row.getAttribute('data-customer-id')),
    );
    expect(ids).toEqual(ALPINE.map((p) => p.id));
    // The failed customer keeps its name, with the error that names it on its row.
    const failing = page.locator(`[data-customer-id="${FAILING}"]`);
    expect(await failing.locator('a').textContent()).toBe(ALPINE[3]?.companyName);
    expect(await failing.getByTestId('row-error').textContent()).toMatch(/\S/);
    expect(await page.getByTestId('row-error').count()).toBe(1);
    expect(problems).toEqual([]);
    running.simulator.setFault(FAILING, undefined);
  },
  60_000,
);

it.skipIf(!available)(
  'opens a customer, refreshes it from Partner Center, adds a qualification and shows its vetting live',
  async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const calls = gatewayCalls(page);
    const problems: string[] = [];
    watchForProblems(page, problems);

    await page.goto(`${portal.origin}/`);
    await page.getByLabel('Company name starts with').fill(CUSTOMER_NAME);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator(`[data-customer-id="${CUSTOMER}"] a`).click();
    await shows(page.getByTestId('customer-name'), CUSTOMER_NAME);
    await page.getByTestId('no-qualifications').waitFor();
    // The subscription's first event (the customer as it is now) has arrived.
    await shows(page.getByTestId('live-status'), 'live');

    // Refresh: `Cache-Control: no-cache` passes the preflight, and the gateway reads again.
    const readsBefore = qualificationReads(CUSTOMER);
    const refreshed = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        operationOf(response.request()) === 'CustomerPage',
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    const response = await refreshed;
    expect(response.request().headers()['cache-control']).toBe('no-cache');
    expect(response.status()).toBe(200);
    expect(response.headers()['access-control-allow-origin']).toBe(portal.origin);
    expect(qualificationReads(CUSTOMER)).toBe(readsBefore + 1);
    const body = (await response.json()) as {
      data: { customer: { qualificationsReadAt: string } };
    };
    await page.locator(`[data-read-at="${body.data.customer.qualificationsReadAt}"]`).waitFor();

    // The same customer by an upper-case id is a cache hit: Query.customer's read policy.
    const pageReads = calls.filter((call) => operationOf(call) === 'CustomerPage').length;
    const upper = CUSTOMER.toUpperCase();
    await page.evaluate(`window.location.hash = ${JSON.stringify(`#/customers/${upper}`)}`);
    await page.locator(`[data-route-id="${upper}"] [data-testid="no-qualifications"]`).waitFor();
    expect(await page.getByTestId('customer-id').textContent()).toBe(CUSTOMER);
    expect(calls.filter((call) => operationOf(call) === 'CustomerPage')).toHaveLength(pageReads);

    // Add Education: it shows at once, in review.
    await page.getByRole('button', { name: 'Add' }).click();
    await shows(page.getByTestId('mutation-result'), 'Added EDUCATION (IN_REVIEW)');
    const education = page.locator(
      '[data-qualification="EDUCATION"] [data-testid="vetting-status"]',
    );
    await shows(education, 'IN_REVIEW');

    // The same again is an expected refusal, shown from the payload's `errors`.
    await page.getByRole('button', { name: 'Add' }).click();
    await shows(page.getByTestId('mutation-error'), /^ALREADY_QUALIFIED: /);
    expect(await page.getByTestId('mutation-error').count()).toBe(1);

    // The GCC picker lists the partner's codes, the used-up one disabled; a customer that
    // already has a qualification is refused the code.
    await page.locator('select[name="qualification"]').selectOption('GOVERNMENT_COMMUNITY_CLOUD');
    const codes = page.locator('select[name="validationCode"] option');
    await codes.nth(2).waitFor({ state: 'attached' });
    expect(
      await Promise.all(
        (await codes.all()).map(async (o) => [await o.getAttribute('value'), await o.isDisabled()]),
      ),
    ).toEqual([
      ['', false],
      ['123456', false],
      ['654321', true],
    ]);
    await page.locator('select[name="validationCode"]').selectOption('123456');
    await page.getByRole('button', { name: 'Add' }).click();
    await shows(page.getByTestId('mutation-error'), /^VALIDATION_CODE_REJECTED: /);
    expect(await page.getByTestId('mutation-error').count()).toBe(1);

    // Microsoft decides the review; the watch's next poll pushes it to the open page.
    const callsBefore = calls.length;
    clock += (VETTING_SECONDS + 1) * 1000;
    await shows(education, 'APPROVED');
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/portal-customer.png', fullPage: true });
    expect(calls.length).toBe(callsBefore);
    expect(problems).toEqual([]);
  },
  60_000,
);

it.skipIf(!available)(
  'shows the older answer under a stale banner when a refresh finds Partner Center failing',
  async () => {
    const customer = ALPINE[0];
    if (customer === undefined) throw new Error('no Alpine customer');
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    watchForProblems(page, problems);

    await page.goto(`${portal.origin}/#/customers/${customer.id}`);
    await shows(page.getByTestId('customer-name'), customer.companyName);
    const readAt = await page.getByTestId('read-at').getAttribute('data-read-at');
    expect(await page.getByTestId('stale-banner').count()).toBe(0);
    // Past the entry's freshness (CACHE_MAX_AGE_SECONDS=1), Partner Center starts failing.
    await until(() => Date.now() > Date.parse(readAt ?? '') + 1_500);
    running.simulator.setFault(customer.id, 'serverError');

    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.getByTestId('stale-banner').waitFor();
    expect(await page.getByTestId('read-at').getAttribute('data-read-at')).toBe(readAt);
    expect(
      await page
        .locator('[data-qualification="EDUCATION"] [data-testid="vetting-status"]')
        .textContent(),
    ).toBe('APPROVED');
    expect(problems).toEqual([]);
    running.simulator.setFault(customer.id, undefined);
  },
  60_000,
);

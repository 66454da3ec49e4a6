import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';

/** Debian's Chromium, which .ci/run installs; a machine without it skips this file. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const SCREENSHOT = 'test-results/graphiql.png';
const available = existsSync(CHROMIUM);

let running: RunningGateway;
let browser: Browser;

beforeAll(async () => {
  if (!available) return;
  running = await startGateway({ fallbackAuthorization: 'Bearer simulator-demo-token' });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // As root, without a GPU, and with no reason to reach Google's services on a closed network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  if (!available) return;
  await browser.close();
  await running.close();
});

it.skipIf(!available)(
  'runs the example query in the offline GraphiQL, loading nothing from outside the gateway',
  async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const requested: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));

    const response = await page.goto(`${running.origin}/graphiql`);
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    // The result editor renders only the lines in view: wait for the top of the answer.
    await expect
      .poll(() => result.textContent(), { timeout: 15_000 })
      .toContain('"companyName": "Contoso University"');
    await mkdir('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    // The example starts with the directory: its first customer is Education-approved.
    expect(await result.textContent()).toContain('"relationshipToPartner": "RESELLER"');
    expect(await result.textContent()).toContain('"isEducation": true');
    expect(
      requested.filter((url) => !url.startsWith(`${running.origin}/`) && !url.startsWith('data:')),
    ).toEqual([]);
    expect(problems).toEqual([]);
  },
);

import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { stopAll } from './child-processes.js';
import { openSubscriptions } from './idle-subscriptions.js';
import { INSPECT_FLAG, memoryAfterGc } from './inspector-memory.js';
import { memory } from './proc-stats.js';
import { s1WatchEnv, subscriptionPlan } from './s1.js';
import { S1_DEFAULTS } from './s1-settings.js';
import { startGateway, startSimulator } from './services.js';
import { generatedCustomerId } from '../src/simulator/data.js';

/**
 * S1's "RSS as it is" is read about 40 s after 5,000 subscriptions opened in seconds, before V8
 * has given back the young generation the opening grew. This follows one gateway's VmRSS for
 * longer, with S1's cadence and subscriptions, and a full GC (inspector) now and then, so the
 * heap those subscriptions hold can be told from what V8 merely has not returned yet, and a leak
 * from either (the after-GC heap would climb).
 *
 *   npx tsx bench/s1-rss-over-time.ts [--connections 500] [--seconds 480] [--gc-every 120]
 *     [--interval 10]   (the polls' cadence: a shorter one shows sooner whether polls leak)
 */
const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '480' },
    'gc-every': { type: 'string', default: '120' },
    interval: { type: 'string', default: String(S1_DEFAULTS.intervalSeconds) },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);
const gcEvery = Number(values['gc-every']);
const STEP_SECONDS = 10;

const MiB = 2 ** 20;
const settings = { ...S1_DEFAULTS, connections, intervalSeconds: Number(values.interval) };
const simulator = await startSimulator(20);
const gateway = await startGateway({
  partnerCenterOrigin: simulator.origin,
  upstreamMaxConcurrency: 32,
  extraEnv: s1WatchEnv(settings),
  nodeArgs: [INSPECT_FLAG],
});
const rss = (): string => ((memory(gateway.process.pid)?.rssBytes ?? Number.NaN) / MiB).toFixed(0);
const collected = async (): Promise<string> => {
  const after = await memoryAfterGc(gateway);
  return `after a full GC: RSS ${(after.rssBytes / MiB).toFixed(0)}, heap used ${(after.heapUsedBytes / MiB).toFixed(1)} MiB`;
};

try {
  await sleep(3_000);
  console.log(`before any subscription: RSS ${rss()} MiB; ${await collected()}`);
  const ids = Array.from({ length: settings.customers }, (_, n) => generatedCustomerId(n));
  const subscriptions = await openSubscriptions({
    ...subscriptionPlan(settings, ids),
    origins: [gateway.origin],
  });
  console.log(`${subscriptions.opened.subscriptions} subscriptions open: RSS ${rss()} MiB`);
  for (let at = STEP_SECONDS; at <= seconds; at += STEP_SECONDS) {
    await sleep(STEP_SECONDS * 1000);
    const gc = at % gcEvery === 0 ? `; ${await collected()}` : '';
    console.log(`${String(at).padStart(4)} s: RSS ${rss()} MiB${gc}`);
  }
  await subscriptions.close();
} finally {
  await stopAll();
}

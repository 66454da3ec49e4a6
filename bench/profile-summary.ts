import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Summarises a V8 CPU profile (`npm run bench -- --workloads W1 --latency 0 --cpu-prof DIR`
 * writes one per gateway) without a browser: self time by function, by package, and the time
 * spent under each package's frames (inclusive), so "where does an operation's CPU go" has a
 * plain-text answer that can be pasted into an issue.
 *
 *   npx tsx bench/profile-summary.ts DIR/gateway-W1-0ms-….cpuprofile [--top 25]
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Who a frame belongs to: an npm package, Node itself, the gateway's own code, or V8. */
function ownerOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (inModules?.[1] !== undefined) return inModules[1];
  if (url.startsWith('node:')) return 'node: (core)';
  const own = /\/(dist|src)\/(.+)$/.exec(url);
  if (own?.[2] !== undefined) return `gateway ${own[2].split('/')[0] ?? ''}`.trim();
  return url;
}

function label(frame: CallFrame): string {
  const file = frame.url
    .replace(/^.*node_modules\//, '')
    .replace(/^file:\/\/.*\/(dist|src)\//, '$1/');
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  return file === '' ? name : `${name} ${file}:${frame.lineNumber + 1}`;
}

interface Row {
  readonly key: string;
  readonly ms: number;
}

function top(map: Map<string, number>, count: number): Row[] {
  return [...map.entries()]
    .map(([key, ms]) => ({ key, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

function summarise(profile: Profile, count: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  // A sample's time is the delta to the next sample (V8 records the delta before each sample).
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    selfMs.set(id, (selfMs.get(id) ?? 0) + ms);
  });

  const total = [...selfMs.values()].reduce((sum, ms) => sum + ms, 0);
  const idle = [...selfMs.entries()]
    .filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)')
    .reduce((sum, [, ms]) => sum + ms, 0);
  const busy = total - idle;

  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const underPackage = new Map<string, number>();
  for (const [id, ms] of selfMs) {
    const node = byId.get(id);
    if (node === undefined || node.callFrame.functionName === '(idle)') continue;
    const key = label(node.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const owner = ownerOf(node.callFrame);
    byPackage.set(owner, (byPackage.get(owner) ?? 0) + ms);
    // Inclusive: every package with a frame on this sample's stack, counted once per sample.
    const owners = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame !== undefined && frame.url !== '') owners.add(ownerOf(frame));
    }
    for (const name of owners) underPackage.set(name, (underPackage.get(name) ?? 0) + ms);
  }

  const pct = (ms: number): string => `${((ms / busy) * 100).toFixed(1).padStart(5)} %`;
  const lines = (rows: Row[]): string[] =>
    rows.map((row) => `  ${pct(row.ms)}  ${row.ms.toFixed(0).padStart(7)} ms  ${row.key}`);
  return [
    `profile: ${(total / 1000).toFixed(1)} s, busy ${(busy / 1000).toFixed(1)} s (${((busy / total) * 100).toFixed(0)} %), idle ${(idle / 1000).toFixed(1)} s; percentages are of busy time`,
    '',
    `self time by function (top ${count}):`,
    ...lines(top(byFunction, count)),
    '',
    'self time by owner (package, node: core, gateway code, V8):',
    ...lines(top(byPackage, count)),
    '',
    'time with a frame of the owner on the stack (inclusive; overlaps):',
    ...lines(top(underPackage, count)),
  ].join('\n');
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string' } },
});
const file = positionals[0];
if (file === undefined) {
  process.stderr.write('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [--top 25]\n');
  process.exitCode = 2;
} else {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  process.stdout.write(`${summarise(profile, Number(values.top ?? 25))}\n`);
}

import fs from 'node:fs';

/**
 * Where a V8 CPU profile's time went (`node --cpu-prof`; `npm run bench -- … --cpu-prof DIR`
 * writes one for the API): self time by package (or the project's own folder, or V8's own
 * entries: garbage collection, idle, native code), and the top functions.
 *
 * `node dist/bench/profile.js <file.cpuprofile> [--top 25]`
 */

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** The package a script belongs to (`@scope/name` or `name` under node_modules), the project folder, or V8's own. */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1];
  if (url.startsWith('node:')) return 'node (core)';
  const own = /\/dist\/(src\/[^/]+|bench)\//.exec(url);
  return own ? own[1] : url;
}

function main() {
  const file = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 25;
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => byId.get(id)!.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') continue;
    const owner = ownerOf(url, functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + time);
    const name = `${functionName || '(anonymous)'} ${owner}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1)} %`;
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy time)\n`);
  console.log('| self time by package | share |\n|---|---:|');
  for (const [owner, t] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${owner} | ${pct(t)} |`);
  console.log('\n| top functions (self time) | share |\n|---|---:|');
  for (const [name, t] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`| ${name} | ${pct(t)} |`);
}

if (require.main === module) main();

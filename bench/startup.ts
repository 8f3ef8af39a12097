/**
 * Start-up time: `omvee --help` and `omvee --version` against `node -e 0`, each the median of
 * several runs, all measured in this one run. Prints the ratios (target: --help within 3x).
 * omvee is started the way a user starts it — bin/omvee itself, so the launcher's shell part
 * (which picks the Node and execs it) is counted; `node -e 0` runs on the Node this bench runs on.
 *
 *   node bench/startup.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const bin = fileURLToPath(new URL('../bin/omvee', import.meta.url));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function time(command: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { stdio: 'ignore' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}`);
  return ms;
}

// interleave the measurements so machine noise hits all of them alike
const samples = { node: [] as number[], help: [] as number[], version: [] as number[] };
time(bin, ['--help']); // warm the file cache
for (let i = 0; i < runs; i += 1) {
  samples.node.push(time(process.execPath, ['-e', '0']));
  samples.help.push(time(bin, ['--help']));
  samples.version.push(time(bin, ['--version']));
}
const node = median(samples.node);
const help = median(samples.help);
const version = median(samples.version);
console.log(`node -e 0         ${node.toFixed(1)} ms (median of ${runs})`);
console.log(`omvee --help      ${help.toFixed(1)} ms  ratio ${(help / node).toFixed(2)}x`);
console.log(`omvee --version   ${version.toFixed(1)} ms  ratio ${(version / node).toFixed(2)}x`);
console.log(`target: --help within 3x of node -e 0: ${help / node <= 3 ? 'met' : 'NOT met'}`);

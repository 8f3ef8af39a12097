/**
 * An older Node (< 24) for the launcher tests: the one on this machine when there is one (this
 * machine's `node` is v20), else Node 20 fetched once the way bin/setup fetches Node 24 — the
 * npm `node` package (which brings the official binary) — into node_modules/.cache. Returns a
 * reason to skip when neither works (no npm, no registry).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO } from './helpers.ts';

const execFileP = promisify(execFile);

export interface OldNode {
  /** the node binary */
  bin: string;
  version: string;
}

async function versionOf(bin: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileP(bin, ['-p', 'process.versions.node'], { timeout: 15_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

const majorOf = (version: string): number => Number(version.split('.')[0]);

async function onThisMachine(): Promise<OldNode | undefined> {
  const seen = new Set<string>();
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/local/bin'])) {
    if (!dir) continue;
    const bin = path.join(dir, 'node');
    if (seen.has(bin) || !existsSync(bin)) continue;
    seen.add(bin);
    const version = await versionOf(bin);
    if (version && majorOf(version) < 24 && majorOf(version) >= 14) return { bin, version };
  }
  return undefined;
}

/** Node 20 from the npm registry (the `node` package at 20.x), cached in node_modules/.cache. */
export async function fetchOlderNode(): Promise<OldNode | string> {
  const dir = path.join(REPO, 'node_modules', '.cache', 'omvee-test-node20');
  const bin = path.join(dir, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bin)) {
    await mkdir(dir, { recursive: true });
    try {
      await execFileP('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--loglevel=error', 'node@20'], { timeout: 300_000 });
    } catch (error) {
      return `no Node < 24 on this machine and fetching node@20 from the npm registry failed: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  const version = await versionOf(bin);
  if (!version || majorOf(version) >= 24) return `the fetched node@20 at ${bin} does not run`;
  return { bin, version };
}

let found: Promise<OldNode | string> | undefined;

/** An older Node, or why there is none (a reason to skip). */
export function olderNode(): Promise<OldNode | string> {
  found ??= (async () => (await onThisMachine()) ?? (await fetchOlderNode()))();
  return found;
}

/**
 * The layers of src/ (see README "How it works"), enforced by reading every file's imports:
 *
 *   commands → cli, app, core, ports        (never an adapter directly)
 *   app      → anything (it is the wiring)
 *   core     → core, ports, zod, p-limit, node:*   (no cli/commands/app, no adapter,
 *              no commander/ora/inquirer, no process.* or console.*)
 *   store, blobs, media, providers, config → never cli or commands
 *   ora only in cli/progress.ts, inquirer only in cli/prompts.ts, commander only in cli/ and commands/
 *
 * A violation fails naming the file and line. The checker itself is tested on planted files,
 * so this test cannot pass by finding nothing.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Modules that define a port (an interface adapters implement) or pure helpers that belong to it. */
const PORTS = new Set([
  'store/port.ts',
  'store/row-checks.ts',
  'blobs/port.ts',
  'blobs/keys.ts',
  'blobs/content-type.ts',
  // a project-scoped view of the Blob port (a decorator over any adapter; imports only the port)
  'blobs/scoped.ts',
  'media/port.ts',
  'providers/ports.ts',
  'providers/registry.ts',
  'providers/prices.ts',
]);

const ADAPTER_DIRS = ['store/', 'blobs/', 'media/', 'providers/'];
const isAdapter = (target: string): boolean => ADAPTER_DIRS.some((d) => target.startsWith(d)) && !PORTS.has(target);

export interface ImportRef {
  line: number;
  spec: string;
  /** path under src/ for relative imports, else null (a package) */
  target: string | null;
}

/** Blank out comments and string/template contents (keeping line breaks) so code can be scanned. */
export function codeOnly(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === '\\' ? 2 : 1;
      out += c + source.slice(i + 1, j).replace(/[^\n]/g, ' ') + c;
      i = j + 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

export function importsOf(file: string, source: string): ImportRef[] {
  const refs: ImportRef[] = [];
  const code = codeOnly(source);
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\1/gm;
  for (const match of source.matchAll(pattern)) {
    // only imports that are code (not inside a comment or a string)
    const at = match.index + match[0].length - match[2]!.length - 2;
    if (code[at] !== match[1]) continue;
    const spec = match[2]!;
    const line = source.slice(0, match.index).split('\n').length + (match[0].match(/^\n*/)?.[0].length ?? 0);
    const target = spec.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file), spec)) : null;
    refs.push({ line, spec, target });
  }
  return refs;
}

/** Every rule the layers impose, for one file (path relative to src/, posix separators). */
export function violations(file: string, source: string): string[] {
  const found: string[] = [];
  const say = (line: number, what: string) => found.push(`src/${file}:${line}: ${what}`);
  const layer = file.split('/')[0]!;
  for (const ref of importsOf(file, source)) {
    const t = ref.target;
    const pkg = t === null ? ref.spec : null;
    if (pkg === 'ora' && file !== 'cli/progress.ts') say(ref.line, 'imports ora (only cli/progress.ts may)');
    if (pkg !== null && /^(@inquirer\/|inquirer$)/.test(pkg) && file !== 'cli/prompts.ts') say(ref.line, `imports ${pkg} (only cli/prompts.ts may)`);
    if (pkg === 'commander' && layer !== 'cli' && layer !== 'commands') say(ref.line, 'imports commander (only cli/ and commands/ may)');
    if (layer === 'core') {
      if (t !== null && /^(cli|commands|app)\//.test(t)) say(ref.line, `core imports ${ref.spec} (the ${t.split('/')[0]} layer)`);
      else if (t !== null && isAdapter(t)) say(ref.line, `core imports the adapter ${ref.spec}`);
      else if (t !== null && !t.startsWith('core/') && !PORTS.has(t)) say(ref.line, `core imports ${ref.spec}, outside core and the ports`);
      if (pkg !== null && !/^(zod|p-limit|node:.+)$/.test(pkg)) say(ref.line, `core imports the package ${pkg}`);
    }
    if (['store', 'blobs', 'media', 'providers', 'config'].includes(layer) && t !== null && /^(cli|commands)\//.test(t)) {
      say(ref.line, `${layer} imports ${ref.spec} (adapters never reach the CLI)`);
    }
    if (layer === 'commands' && t !== null && isAdapter(t)) say(ref.line, `a command imports the adapter ${ref.spec} (go through src/app)`);
  }
  if (layer === 'core') {
    const code = codeOnly(source).split('\n');
    code.forEach((text, i) => {
      const use = text.match(/(?<![\w.$])(process|console)\s*\./);
      if (use) say(i + 1, `core uses ${use[1]}.`);
    });
  }
  return found;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

describe('layers', () => {
  it('every file under src/ respects the layers', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 100, `expected the whole source tree, found ${files.length} files`);
    const all = files.flatMap((full) => violations(relative(SRC, full).split(sep).join('/'), readFileSync(full, 'utf8')));
    assert.deepEqual(all, [], `layer violations:\n${all.join('\n')}`);
  });

  it('the checker finds planted violations, naming file and line', () => {
    const planted = [
      "import { z } from 'zod';",
      "import { printRecord } from '../cli/output.ts';",
      "const s = await import('../store/local/local-store.ts');",
      "import ora from 'ora';",
      '  process.exit(1);',
      "export { x } from '../app/services.ts';",
      "import OpenAI from 'openai';",
      "import type { Store } from '../store/port.ts';",
      "// import { no } from '../cli/output.ts' (a comment)",
      "const text = 'process.env is not code here';",
    ].join('\n');
    assert.deepEqual(violations('core/planted.ts', planted), [
      'src/core/planted.ts:2: core imports ../cli/output.ts (the cli layer)',
      'src/core/planted.ts:3: core imports the adapter ../store/local/local-store.ts',
      'src/core/planted.ts:4: imports ora (only cli/progress.ts may)',
      'src/core/planted.ts:4: core imports the package ora',
      'src/core/planted.ts:6: core imports ../app/services.ts (the app layer)',
      'src/core/planted.ts:7: core imports the package openai',
      'src/core/planted.ts:5: core uses process.',
    ]);
    assert.deepEqual(violations('commands/x/run.ts', "import { openLocalStore } from '../../store/local/local-store.ts';\nimport { PROVIDERS } from '../../providers/registry.ts';"), [
      'src/commands/x/run.ts:1: a command imports the adapter ../../store/local/local-store.ts (go through src/app)',
    ]);
    assert.deepEqual(violations('providers/replicate/x.ts', "import type { CliContext } from '../../cli/context.ts';"), [
      'src/providers/replicate/x.ts:1: providers imports ../../cli/context.ts (adapters never reach the CLI)',
    ]);
    assert.deepEqual(violations('media/x.ts', "import { confirm } from '@inquirer/prompts';"), ['src/media/x.ts:1: imports @inquirer/prompts (only cli/prompts.ts may)']);
    assert.deepEqual(violations('cli/prompts.ts', "const { confirm } = await import('@inquirer/prompts');"), []);
  });
});

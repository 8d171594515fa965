import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The shape of src/: layers that only point down, no cycles between folders.
 *
 * How imports are counted:
 * - every `.ts` file under src/ is read, except tests kept next to the code (`*.test.ts`); its imports are what TypeScript's own pre-processor
 *   (`ts.preProcessFile`) lists: `import … from '…'`, `import '…'`, `export … from '…'`,
 *   `import('…')` and `require('…')` with a string literal. Type-only imports
 *   (`import type …`, `import { type X }`) count like any other: a type is a dependency too.
 * - only relative specifiers that resolve to a file under src/ count (`x.ts` or `x/index.ts`);
 *   packages and files outside src/ (migrations/, seeds/) are not part of the graph.
 * - a file belongs to the folder `src/<folder>/…`. The top-level files src/config.ts and
 *   src/clock.ts are units of their own ("config", "clock"); every other top-level file
 *   (main.ts, graphiql.ts, …) belongs to the composition root, "app".
 * - an import points up when its target's layer (table below) is higher than its source's.
 *   Folders of one layer may import each other, as long as no cycle forms.
 * - cycles: pairs of folders that import each other directly, and every strongly connected
 *   component of the folder graph (so cycles longer than two are reported too).
 * - a feature must not import another feature's `*.resolver.ts`, and the composition root
 *   reaches a feature only through that feature's `index.ts`.
 *
 * STRUCTURE_SRC=/path/to/src measures another tree (e.g. a `git worktree` of an older commit).
 */

/** Lowest first. A folder may import folders of its own layer or below, never above. */
export const LAYERS: { layer: string; folders: string[] }[] = [
  // The ground kit: errors, connections, scalars, ids, the mutation helper, query and input
  // limits (graphql/); configuration; the clock; logs and metrics; the database kit.
  { layer: 'ground', folders: ['config', 'clock', 'graphql', 'observability', 'database'] },
  // Who is asking: roles, capabilities, permissions and their shield rules, scope, tokens, the request context.
  { layer: 'access', folders: ['access'] },
  // Features: each contributes resolvers, entities, loaders and services through its index.ts.
  { layer: 'features', folders: ['units', 'catalogues', 'members', 'transfers', 'cadres', 'reports', 'audit', 'accounts', 'data-quality', 'imports'] },
  // The composition root: schema, Apollo, HTTP server, services per request, start-up.
  { layer: 'app', folders: ['app'] },
  { layer: 'cli', folders: ['cli'] },
];

const FEATURES = new Set(LAYERS.find((l) => l.layer === 'features')!.folders);
const TOP_LEVEL_UNITS: Record<string, string> = { 'config.ts': 'config', 'clock.ts': 'clock' };

export interface Edge {
  from: string; // file, relative to src/
  to: string;
  fromFolder: string;
  toFolder: string;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    // Tests kept next to the code (*.test.ts) are tests, not a layer of the application.
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

export function folderOf(relative: string): string {
  const parts = relative.split('/');
  if (parts.length > 1) return parts[0];
  return TOP_LEVEL_UNITS[parts[0]] ?? 'app';
}

function resolve(srcDir: string, fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) {
      const relative = path.relative(srcDir, candidate);
      return relative.startsWith('..') ? undefined : relative.split(path.sep).join('/');
    }
  }
  return undefined;
}

export function importEdges(srcDir: string): Edge[] {
  const edges: Edge[] = [];
  for (const file of filesUnder(srcDir)) {
    const from = path.relative(srcDir, file).split(path.sep).join('/');
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const seen = new Set<string>();
    for (const imported of info.importedFiles) {
      const to = resolve(srcDir, file, imported.fileName);
      if (!to || seen.has(to)) continue;
      seen.add(to);
      edges.push({ from, to, fromFolder: folderOf(from), toFolder: folderOf(to) });
    }
  }
  return edges;
}

function rankOf(folder: string): number {
  const rank = LAYERS.findIndex((l) => l.folders.includes(folder));
  if (rank < 0) throw new Error(`src/${folder}/ is in no layer: add it to LAYERS in test/structure.test.ts`);
  return rank;
}

/** Strongly connected components of the folder graph with more than one folder (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indexOf.has(v)) visit(v);
  return found;
}

export function measure(srcDir: string) {
  const edges = importEdges(srcDir);
  const between = edges.filter((e) => e.fromFolder !== e.toFolder);
  const graph = new Map<string, Set<string>>();
  for (const e of between) {
    if (!graph.has(e.fromFolder)) graph.set(e.fromFolder, new Set());
    graph.get(e.fromFolder)!.add(e.toFolder);
  }
  const upward = between.filter((e) => rankOf(e.toFolder) > rankOf(e.fromFolder));
  const mutualPairs = [...graph.entries()]
    .flatMap(([a, targets]) => [...targets].filter((b) => a < b && graph.get(b)?.has(a)).map((b) => `${a} ↔ ${b}`))
    .sort();
  const components = cycles(graph);
  const resolverImports = between.filter((e) => FEATURES.has(e.fromFolder) && FEATURES.has(e.toFolder) && e.to.endsWith('.resolver.ts'));
  const rootPastIndex = between.filter((e) => rankOf(e.fromFolder) > rankOf('units') && FEATURES.has(e.toFolder) && !e.to.endsWith('/index.ts'));
  return {
    files: new Set(edges.map((e) => e.from)).size,
    imports: edges.length,
    between,
    upward,
    upwardFolderArrows: [...new Set(upward.map((e) => `${e.fromFolder} → ${e.toFolder}`))].sort(),
    mutualPairs,
    components,
    resolverImports,
    rootPastIndex,
  };
}

const srcDir = process.env.STRUCTURE_SRC ?? path.join(__dirname, '..', 'src');
const list = (edges: Edge[]) => edges.map((e) => `  src/${e.from} → src/${e.to}`).join('\n');

describe('layers that only point down (src/ imports)', () => {
  const m = measure(srcDir);
  console.log(
    [
      `structure of ${srcDir}: ${m.files} files, ${m.imports} imports inside src/`,
      `  imports pointing up a layer: ${m.upward.length} (folder arrows: ${m.upwardFolderArrows.length}${m.upwardFolderArrows.length ? ': ' + m.upwardFolderArrows.join(', ') : ''})`,
      `  pairs of folders importing each other: ${m.mutualPairs.length}${m.mutualPairs.length ? ': ' + m.mutualPairs.join(', ') : ''}`,
      `  folder cycles (strongly connected components): ${m.components.length}${m.components.length ? ': ' + m.components.map((c) => `{${c.join(', ')}}`).join(' ') : ''}`,
      `  feature → other feature's resolver: ${m.resolverImports.length}`,
      `  composition root → feature past its index.ts: ${m.rootPastIndex.length}`,
    ].join('\n'),
  );

  it('no import points up a layer', () => {
    expect(m.upward.length, `imports pointing up a layer (see LAYERS):\n${list(m.upward)}`).toBe(0);
  });

  it('no two folders import each other, and no longer cycle either', () => {
    const detail = m.components
      .map((c) => `{${c.join(', ')}}:\n${list(m.between.filter((e) => c.includes(e.fromFolder) && c.includes(e.toFolder)))}`)
      .join('\n');
    expect(m.mutualPairs, `folders importing each other:\n${detail}`).toEqual([]);
    expect(m.components, `folder cycles:\n${detail}`).toEqual([]);
  });

  it("no feature imports another feature's resolver", () => {
    expect(m.resolverImports.length, `resolver imports across features:\n${list(m.resolverImports)}`).toBe(0);
  });

  it('the composition root reaches features only through their index.ts', () => {
    expect(m.rootPastIndex.length, `imports past a feature's index.ts:\n${list(m.rootPastIndex)}`).toBe(0);
  });
});

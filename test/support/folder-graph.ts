import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Where one folder's dependency on another comes from: `importer` imports `imported` (paths from the repo root). */
export interface ImportEvidence {
  readonly importer: string;
  readonly imported: string;
}

/** Files at the top of src/ (main.ts, app.module.ts, ...) compose the folders: they count as one node. */
export const ROOT_FILES = '(root)';

/** Top-level folder of src/ → the top-level folders it imports → the imports that make it so. */
export type FolderGraph = Map<string, Map<string, ImportEvidence[]>>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every relative import of every `src/**\/*.ts` file (static, type-only, re-exports, side-effect and dynamic
 * `import()`), by top-level folder. Type-only imports count: a folder that needs another's types depends on it.
 */
export function folderGraph(repoRoot: string): FolderGraph {
  const src = join(repoRoot, 'src');
  const folderOf = (file: string) => {
    const parts = relative(src, file).split(sep);
    return parts.length > 1 ? parts[0] : ROOT_FILES;
  };
  const graph: FolderGraph = new Map();
  for (const file of sourceFiles(src)) {
    const from = folderOf(file);
    if (!graph.has(from)) graph.set(from, new Map());
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName).replace(/\.js$/, '.ts');
      const to = folderOf(target);
      if (to === from) continue;
      const edges = graph.get(from)!;
      if (!edges.has(to)) edges.set(to, []);
      const evidence = { importer: relative(repoRoot, file), imported: relative(repoRoot, target) };
      const known = edges.get(to)!;
      if (!known.some((e) => e.importer === evidence.importer && e.imported === evidence.imported))
        known.push(evidence);
    }
  }
  return graph;
}

/** Strongly connected groups of more than one folder (Tarjan), each sorted, in a stable order. */
function cyclicGroups(graph: FolderGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The shortest way back from `from` to itself through folders of `group` (breadth first). */
function shortestCycle(graph: FolderGraph, group: string[], from: string): string[] {
  const previous = new Map<string, string>();
  const queue = [from];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!group.includes(w)) continue;
      if (w === from) {
        const path = [v];
        while (path[0] !== from) path.unshift(previous.get(path[0])!);
        return [...path, from];
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [from];
}

export interface FolderCycle {
  /** The folders caught in the cycle, sorted. */
  readonly folders: readonly string[];
  /** The folders in order, and under each step the imports that make it. */
  readonly description: string;
}

/**
 * One entry per group of folders caught in cycles: the shortest cycle through each folder of the group not yet shown,
 * so every folder of the group appears in a cycle with the imports that make each of its steps.
 */
export function folderCycles(graph: FolderGraph): FolderCycle[] {
  return cyclicGroups(graph).map((group) => {
    const shown = new Set<string>();
    const cycles: string[] = [];
    for (const folder of group) {
      if (shown.has(folder)) continue;
      const cycle = shortestCycle(graph, group, folder);
      cycle.forEach((f) => shown.add(f));
      const steps = cycle.slice(1).map((to, i) => {
        const lines = graph
          .get(cycle[i])!
          .get(to)!
          .map((e) => `      ${e.importer} imports ${e.imported}`);
        return `  ${cycle[i]} → ${to}:\n${lines.join('\n')}`;
      });
      cycles.push(`${cycle.join(' → ')}\n${steps.join('\n')}`);
    }
    return { folders: group, description: cycles.join('\n\n') };
  });
}

/** The folder graph as a Mermaid flowchart (composition root and tools left out: they only sit on top). */
export function mermaid(graph: FolderGraph, leaveOut: readonly string[]): string {
  const lines = ['flowchart TD'];
  for (const from of [...graph.keys()].sort()) {
    if (leaveOut.includes(from)) continue;
    for (const to of [...graph.get(from)!.keys()].sort()) {
      if (!leaveOut.includes(to)) lines.push(`  ${from} --> ${to}`);
    }
  }
  return lines.join('\n');
}

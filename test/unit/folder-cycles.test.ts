import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROOT_FILES, folderCycles, folderGraph, mermaid } from '../support/folder-graph.js';

/**
 * Dependencies between the top-level folders of src/ point one way (docs/architecture.md, "Modules and their
 * dependencies"): a folder never imports, directly or through others, a folder that imports it back.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const graph = folderGraph(repoRoot);

/**
 * Cycles known and not broken yet, each with the work that breaks it. The list only shrinks: a cycle not on it fails,
 * and so does an entry whose cycle is gone (take it off).
 */
const NOT_YET_BROKEN: readonly { readonly folders: readonly string[]; readonly breakBy: string }[] = [
  {
    folders: ['events', 'notifications'],
    breakBy:
      'issue 16 item 3: the seat live stream (SSE controller, seat subscription, sequence and replay reads, the seat ' +
      'channel) moves to events, and the WebSocket gateway takes seat subscriptions from events through a port',
  },
];
const key = (folders: readonly string[]) => folders.join(' ');

describe('folder dependencies', () => {
  it('have no cycle between top-level folders of src/', () => {
    const cycles = folderCycles(graph);
    const tolerated = new Set(NOT_YET_BROKEN.map((known) => key(known.folders)));
    const found = cycles.filter((cycle) => !tolerated.has(key(cycle.folders)));
    if (found.length > 0) {
      const text = found.map((cycle) => cycle.description).join('\n\n');
      throw new Error(`Import cycles between folders of src/ (break each; see docs/architecture.md):\n\n${text}`);
    }
    const gone = NOT_YET_BROKEN.filter((known) => !cycles.some((cycle) => key(cycle.folders) === key(known.folders)));
    expect(gone.map((known) => `${key(known.folders)}: broken, take it off NOT_YET_BROKEN`)).toEqual([]);
  });

  it('are drawn as they are in docs/architecture.md', () => {
    const doc = readFileSync(new URL('docs/architecture.md', `file://${repoRoot}`), 'utf8');
    const drawn = /<!-- folder-graph:start -->\s*```mermaid\n([\s\S]*?)\n```\s*<!-- folder-graph:end -->/.exec(
      doc,
    )?.[1];
    const actual = mermaid(graph, [ROOT_FILES, 'scripts', 'common', 'config']);
    if (drawn !== actual) {
      throw new Error(
        'The diagram in docs/architecture.md is not the folder graph of src/; replace the block between the ' +
          `folder-graph markers with:\n\n\`\`\`mermaid\n${actual}\n\`\`\``,
      );
    }
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROOT_FILES, folderCycles, folderGraph, mermaid } from '../support/folder-graph.js';

/**
 * Dependencies between the top-level folders of src/ point one way (docs/architecture.md, "Modules and their
 * dependencies"): a folder never imports, directly or through others, a folder that imports it back.
 */
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const graph = folderGraph(repoRoot);

describe('folder dependencies', () => {
  it('have no cycle between top-level folders of src/', () => {
    const cycles = folderCycles(graph);
    if (cycles.length > 0) {
      const text = cycles.map((cycle) => cycle.description).join('\n\n');
      throw new Error(`Import cycles between folders of src/ (break each; see docs/architecture.md):\n\n${text}`);
    }
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

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CompiledScript {
  /** The compiled entry, to run with `node` as `npm run <script>` runs dist/scripts/<name>.js. */
  readonly path: string;
  remove(): void;
}

/**
 * Compiles one entry under src/ (and only what it imports) with the project's build settings into a private temp
 * folder: a test of a command-line script runs the current source, also on a fresh clone where nothing was built,
 * and never races a developer's `npm run build` or `npm start` over dist/.
 */
export async function compileScript(entry: string): Promise<CompiledScript> {
  const dir = mkdtempSync(join(tmpdir(), 'booking-script-'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(root, 'tsconfig.build.json'),
      compilerOptions: { rootDir: join(root, 'src'), outDir: join(dir, 'dist'), sourceMap: false },
      files: [join(root, entry)],
      include: [],
    }),
  );
  // ESM like the project, and the project's dependencies.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  try {
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`compiling ${entry} failed:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
  const path = join(dir, 'dist', relative(join(root, 'src'), join(root, entry)).replace(/\.ts$/, '.js'));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

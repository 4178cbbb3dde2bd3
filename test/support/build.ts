import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The newest modification time of the sources `npm run build` compiles or copies (specs are not built). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|lua)$/.test(entry.name) && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * dist/main.js built from the current sources: runs `npm run build`'s two steps (tsc, then the Lua copy) when dist
 * is missing or older than any source, as on a fresh clone; otherwise reuses it. Throws when the build fails.
 */
export function builtMain(): string {
  const main = join(ROOT, 'dist', 'main.js');
  if (!existsSync(main) || statSync(main).mtimeMs < newestSource(join(ROOT, 'src'))) {
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'pipe' });
    run([join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
    run([join(ROOT, 'tools', 'copy-assets.mjs')]);
  }
  return main;
}

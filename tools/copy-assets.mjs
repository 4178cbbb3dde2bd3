// Copies the Lua scripts next to the compiled repositories that load them (tsc copies only TypeScript).
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function copyLua(from, to) {
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    if (statSync(source).isDirectory()) copyLua(source, join(to, entry));
    else if (entry.endsWith('.lua')) cpSync(source, join(to, entry));
  }
}

copyLua('src', 'dist');

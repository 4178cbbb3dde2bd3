// Copies the Lua scripts next to the compiled repositories that load them (tsc copies only TypeScript), and removes
// scripts left in dist from an earlier build: a script renamed for a new number of keys (hold-seats-5.lua ->
// hold-seats-6.lua) would otherwise be loaded twice under one command name.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

function copyLua(from, to) {
  const sources = new Set(readdirSync(from));
  for (const entry of sources) {
    const source = join(from, entry);
    if (statSync(source).isDirectory()) copyLua(source, join(to, entry));
    else if (entry.endsWith('.lua')) cpSync(source, join(to, entry));
  }
  if (!existsSync(to)) return;
  for (const entry of readdirSync(to)) if (entry.endsWith('.lua') && !sources.has(entry)) rmSync(join(to, entry));
}

copyLua('src', 'dist');

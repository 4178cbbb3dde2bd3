import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisClient } from './redis-client.js';

/** What a script's ARGV may hold: ioredis sends numbers as their decimal text. */
export type ScriptArg = string | number;

/**
 * One call of a script: its KEYS, then its ARGV, in one flat array (what EVALSHA sends after the key count). A tuple
 * built from the script's declared key and argument tuples, so a call with a key too few or an argument of the wrong
 * kind does not compile, and the caller builds one array, as a direct ioredis call would.
 */
export type ScriptCall<Keys extends readonly string[], Args extends readonly ScriptArg[]> = readonly [...Keys, ...Args];

type ScriptCommand<Reply> = (...call: ScriptArg[]) => Promise<Reply>;

/**
 * A script's answers mapped to what the caller returns: its status code (a number reply, or the first element of an
 * array reply) to a function of the whole reply. One table per script, beside its declaration; a code the table lacks
 * is a bug (the script and its table disagree) and throws.
 */
export type ScriptOutcomes<Reply, Result> = Readonly<Record<number, (reply: Reply) => Result>>;

/** The label of each script by SHA1, so that metrics and traces name the script rather than `evalsha`. */
const labels = new Map<string, string>();

/**
 * A Lua script of one module: `name` (`<module>:<script>`) is the command it is registered as on a client, in
 * ioredis' one namespace, so two modules' scripts cannot collide; the file is `<name>-<numberOfKeys>.lua` in the
 * module's `lua/` folder, with `--!include <name>` lines replaced by `lua/include/<name>.lua` and
 * `--!include <module>/<name>` lines by another module's `src/<module>/lua/include/<name>.lua` (the outbox's append,
 * which every domain calls; EVALSHA scripts cannot call each other). The file is read once per process; the script is registered on a client (ioredis
 * `defineCommand`: EVALSHA, and the source again after NOSCRIPT) at its first call there, once, whichever repository
 * calls it. `label` names it in metrics and traces: the camelCase file name, as before the registry (dashboards use it).
 */
export class LuaScript<Keys extends readonly string[], Args extends readonly ScriptArg[], Reply, Result = never> {
  readonly lua: string;
  readonly numberOfKeys: number;
  readonly label: string;

  constructor(
    readonly name: `${string}:${string}`,
    folder: URL,
    file: `${string}-${Keys['length']}.lua`,
    private readonly outcomes?: ScriptOutcomes<Reply, Result>,
  ) {
    const match = /^([a-z][a-z0-9-]*)-(\d+)\.lua$/.exec(file);
    if (!match) throw new Error(`${file}: a script file is named <name>-<numberOfKeys>.lua`);
    this.numberOfKeys = Number(match[2]);
    this.label = match[1].replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    this.lua = readFileSync(new URL(file, folder), 'utf8').replace(
      /^--!include (?:([a-z-]+)\/)?([a-z-]+)$/gm,
      (_, module: string | undefined, include: string) =>
        readFileSync(
          new URL(module ? `../../${module}/lua/include/${include}.lua` : `include/${include}.lua`, folder),
          'utf8',
        ),
    );
    labels.set(createHash('sha1').update(this.lua).digest('hex'), this.label);
  }

  /** Runs the script: one EVALSHA (EVAL the first time on a connection), nothing more. */
  run(client: RedisClient, call: ScriptCall<Keys, Args>): Promise<Reply> {
    const command =
      (client as unknown as Record<string, ScriptCommand<Reply> | undefined>)[this.name] ?? this.register(client);
    return command.apply(client, call as unknown as ScriptArg[]);
  }

  /** The reply through the script's outcome table (scripts that answer data rather than a status have none). */
  outcome(reply: Reply): Result {
    const code = typeof reply === 'number' ? reply : (reply as readonly unknown[])[0];
    const outcome = this.outcomes?.[code as number];
    if (outcome === undefined) throw new Error(`script ${this.name} answered an unknown code ${String(code)}`);
    return outcome(reply);
  }

  private register(client: RedisClient): ScriptCommand<Reply> {
    client.defineCommand(this.name, { numberOfKeys: this.numberOfKeys, lua: this.lua });
    return (client as unknown as Record<string, ScriptCommand<Reply>>)[this.name];
  }
}

/** The label of the service's script with this SHA1 (undefined: not one of ours, e.g. BullMQ's). */
export function scriptLabel(sha: string): string | undefined {
  return labels.get(sha);
}

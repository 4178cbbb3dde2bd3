import { createHash } from 'node:crypto';
import { Command } from 'ioredis';
import type { RedisClient } from '../../src/redis/redis-client.js';

/**
 * Runs `work` with the first call of `script` on `client` delivered twice, as ioredis does when a connection drops after
 * Redis ran a command but before its reply arrived: the command runs for real, its answer is lost, and the re-sent
 * copy's answer is what the caller gets. Both copies go to the real Redis, in order, on the same connection. Later
 * calls (a caller's retry) go once, as they would after the reconnect.
 */
export async function deliveredTwice<T>(
  client: RedisClient,
  script: { readonly lua: string },
  work: () => Promise<T>,
): Promise<T> {
  const sha = createHash('sha1').update(script.lua).digest('hex');
  const send = client.sendCommand.bind(client);
  let resent = false;
  client.sendCommand = ((command: Command, ...rest: unknown[]) => {
    const [first] = command.args;
    const ours = (command.name === 'evalsha' && first === sha) || (command.name === 'eval' && first === script.lua);
    if (ours && !resent) {
      // Built from the sent arguments, which already carry the key prefix; as EVAL, so that it runs even where the
      // script is not cached yet (ioredis turns the original into EVAL itself on a connection's first call).
      const lost = new Command('eval', [script.lua, ...command.args.slice(1)]);
      lost.promise.catch(() => undefined);
      (send as (...args: unknown[]) => unknown)(lost, ...rest);
      resent = true;
    }
    return (send as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof client.sendCommand;
  try {
    const result = await work();
    if (!resent) throw new Error('deliveredTwice: the script was never called');
    return result;
  } finally {
    client.sendCommand = send;
  }
}

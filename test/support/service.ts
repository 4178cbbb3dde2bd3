import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { ROOT } from './build.js';

/**
 * A built entry point (dist/main.js, dist/worker.js) as a real process on the project's Node, configured only by
 * `env` (on top of production mode on loopback with a fixed secret); everything it writes goes to `output`.
 */
export function spawnService(
  entry: string,
  env: Record<string, string>,
  output: (chunk: string) => void,
): ChildProcess {
  const service = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      JWT_SECRET: 'spawned-service-secret-spawned-service-secret',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  service.stdout!.on('data', (chunk: Buffer) => output(chunk.toString()));
  service.stderr!.on('data', (chunk: Buffer) => output(chunk.toString()));
  return service;
}

/** Stops a spawned service (SIGKILL: the tests using this are not about shutdown) and waits for it to be gone. */
export async function killService(service: ChildProcess | undefined): Promise<void> {
  if (!service || service.exitCode !== null || service.signalCode !== null) return;
  const gone = new Promise((resolve) => service.once('exit', resolve));
  service.kill('SIGKILL');
  await gone;
}

import { Queue } from 'bullmq';
import type { AppConfig } from '../../src/config/app-config.js';
import { bullConnection } from '../../src/redis/bull-connection.js';
import { keys } from '../../src/redis/keys.js';

/** The reminder queue as the service names it, opened on its own connection, for tests that plant or inspect jobs. */
export function reminderQueue(config: AppConfig): { readonly queue: Queue; close(): Promise<void> } {
  const connection = bullConnection(config);
  const queue = new Queue('reminders', {
    connection: connection.connection,
    prefix: config.redisKeyPrefix + keys.jobs(),
  });
  return {
    queue,
    async close() {
      await queue.close();
      await connection.close();
    },
  };
}

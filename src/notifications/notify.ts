import type { Logger } from '@nestjs/common';

/**
 * Runs a notification side effect of a change that has already been stored: its failure (Redis briefly away) is
 * logged and never turns the caller's success into an error.
 */
export async function bestEffort(logger: Logger, what: string, effect: () => Promise<unknown>): Promise<void> {
  try {
    await effect();
  } catch (error) {
    logger.warn(`${what} failed: ${(error as Error).message}`);
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { StartupMigration } from '../redis/startup-migration.js';
import { OpenSlotsRepository } from './open-slots.repository.js';

/** The marker's name: bump it only for a new migration, never to re-run this one by accident. */
export const OPEN_SLOTS_MIGRATION = 'appointments-open-slots-1';

/**
 * Lists the slots published before the index of every provider's open slots existed, once per keyspace, at start:
 * every slot open now and starting later joins `{slots}:open`. Slots published since are listed when published, so
 * the marker ends the work for good. Idempotent (ZADD of each open slot's own member) and safe on several instances
 * at once; a slot taken while it runs may be listed stale, which readers skip. Runs in the background, retrying
 * while Redis is not reachable; meanwhile GET /v1/slots lacks the older slots (it never answers a taken one).
 * Start-up work, not the request path: it SCANs the providers' schedules once.
 */
@Injectable()
export class OpenSlotsMigration extends StartupMigration {
  constructor(
    private readonly openSlots: OpenSlotsRepository,
    private readonly clock: Clock,
  ) {
    super(new Logger('OpenSlotsMigration'), 'open-slots migration');
  }

  /** Runs the migration unless its marker says it ran; answers how many slots it listed (null: ran before). */
  async run(): Promise<number | null> {
    if (await this.openSlots.isMigrated(OPEN_SLOTS_MIGRATION)) return null;
    const now = this.clock.now();
    const listed = await this.openSlots.rebuild(now);
    await this.openSlots.markMigrated(OPEN_SLOTS_MIGRATION, now);
    if (listed > 0) this.logger.log(`open-slots index built: ${listed} slots listed`);
    return listed;
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alertmanager keeps a notification log per group and per integration (target): what each
 * target was last told (firing and resolved fingerprints) and when. `target_log` holds it per
 * notification group, keyed by target key: `{ "<targetKey>": { "firing": [...], "resolved": [...], "at": "<iso>" } }`.
 */
export class GroupTargetLog1763800411000 implements MigrationInterface {
  name = 'GroupTargetLog1763800411000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_groups ADD COLUMN target_log jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await q.query(`CREATE INDEX silences_updated_idx ON silences (updated_at DESC, id)`);
    await q.query(`CREATE INDEX alerts_starts_at_idx ON alerts (starts_at DESC, fingerprint)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alerts_starts_at_idx`);
    await q.query(`DROP INDEX silences_updated_idx`);
    await q.query(`ALTER TABLE notification_groups DROP COLUMN target_log`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A group key holds its grouping labels' values, which may be as long as a label value (any
 * length up to the 1 MiB body). A btree entry must stay under ~2.7 KB, so the uniqueness of
 * (group_key, receiver) is enforced on md5(group_key) instead: one index entry of fixed size.
 */
export class GroupKeyHashUnique1763801000000 implements MigrationInterface {
  name = 'GroupKeyHashUnique1763801000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_groups DROP CONSTRAINT notification_groups_key_receiver_uniq`);
    await q.query(`CREATE UNIQUE INDEX notification_groups_key_hash_receiver_uniq ON notification_groups (md5(group_key), receiver)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notification_groups_key_hash_receiver_uniq`);
    await q.query(`ALTER TABLE notification_groups ADD CONSTRAINT notification_groups_key_receiver_uniq UNIQUE (group_key, receiver)`);
  }
}

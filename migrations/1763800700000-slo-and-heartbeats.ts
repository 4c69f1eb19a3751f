import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Heartbeats (the last beat of each configured signal), the state of each SLO, the self-alerts
 * Tocsin raised about itself, the evaluations each replica ran (one replica at a time holds the
 * SLO advisory lock; the log shows which), and the self-alert deliveries copied to
 * `slo.fallback_receiver`.
 */
export class SloAndHeartbeats1763800700000 implements MigrationInterface {
  name = 'SloAndHeartbeats1763800700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE heartbeats (
        name text CONSTRAINT heartbeats_pkey PRIMARY KEY,
        registered_at timestamptz NOT NULL,
        watch_started_at timestamptz NOT NULL,
        last_beat_at timestamptz,
        last_state text,
        last_source text,
        ok_since timestamptz,
        updated_at timestamptz NOT NULL,
        CONSTRAINT heartbeats_last_source_check CHECK (last_source IS NULL OR last_source IN ('api', 'redis'))
      )`);
    await q.query(`
      CREATE TABLE slo_state (
        name text CONSTRAINT slo_state_pkey PRIMARY KEY,
        state text NOT NULL,
        since timestamptz NOT NULL,
        value double precision,
        evaluated_at timestamptz NOT NULL,
        CONSTRAINT slo_state_state_check CHECK (state IN ('ok', 'breach', 'no_data'))
      )`);
    await q.query(`
      CREATE TABLE slo_self_alerts (
        key text CONSTRAINT slo_self_alerts_pkey PRIMARY KEY,
        labels jsonb NOT NULL,
        firing boolean NOT NULL,
        starts_at timestamptz NOT NULL,
        posted_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE slo_evaluations (
        id bigserial CONSTRAINT slo_evaluations_pkey PRIMARY KEY,
        instance_id text NOT NULL,
        evaluated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX slo_evaluations_at_idx ON slo_evaluations (evaluated_at)`);
    await q.query(`
      CREATE TABLE slo_fallbacks (
        delivery_id bigint CONSTRAINT slo_fallbacks_pkey PRIMARY KEY
          CONSTRAINT slo_fallbacks_delivery_fk REFERENCES alert_deliveries (id) ON DELETE CASCADE,
        group_key text NOT NULL,
        fallback_receiver text NOT NULL,
        fallback_ids bigint[] NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX slo_fallbacks_group_idx ON slo_fallbacks (group_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE slo_fallbacks`);
    await q.query(`DROP TABLE slo_evaluations`);
    await q.query(`DROP TABLE slo_self_alerts`);
    await q.query(`DROP TABLE slo_state`);
    await q.query(`DROP TABLE heartbeats`);
  }
}

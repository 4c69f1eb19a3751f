import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerts, notification groups, silences, and the delivery outbox (`alert_deliveries`, whose
 * id/channel/recipient/status/error_message/retry_count/failed_at columns the runbook's SQL
 * uses as written) with its attempts, rate-limit buckets and per-target provider state.
 */
export class AlertsAndDeliveries1763800100000 implements MigrationInterface {
  name = 'AlertsAndDeliveries1763800100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts (
        fingerprint text CONSTRAINT alerts_pkey PRIMARY KEY,
        labels jsonb NOT NULL,
        annotations jsonb NOT NULL DEFAULT '{}'::jsonb,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        ends_at_given boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL,
        generator_url text NOT NULL DEFAULT '',
        source text NOT NULL
      )`);
    await q.query(`CREATE INDEX alerts_ends_at_idx ON alerts (ends_at)`);

    await q.query(`
      CREATE TABLE notification_groups (
        id bigserial CONSTRAINT notification_groups_pkey PRIMARY KEY,
        group_key text NOT NULL,
        receiver text NOT NULL,
        route_id text NOT NULL,
        group_labels jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        next_flush_at timestamptz,
        last_flush_at timestamptz,
        notified_firing text[] NOT NULL DEFAULT '{}',
        notified_resolved text[] NOT NULL DEFAULT '{}',
        claimed_by text,
        lease_until timestamptz,
        CONSTRAINT notification_groups_key_receiver_uniq UNIQUE (group_key, receiver)
      )`);
    await q.query(`CREATE INDEX notification_groups_due_idx ON notification_groups (next_flush_at) WHERE next_flush_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE group_alerts (
        group_id bigint NOT NULL CONSTRAINT group_alerts_group_fk REFERENCES notification_groups (id) ON DELETE CASCADE,
        fingerprint text NOT NULL CONSTRAINT group_alerts_alert_fk REFERENCES alerts (fingerprint) ON DELETE CASCADE,
        CONSTRAINT group_alerts_pkey PRIMARY KEY (group_id, fingerprint)
      )`);
    await q.query(`CREATE INDEX group_alerts_fingerprint_idx ON group_alerts (fingerprint)`);

    await q.query(`
      CREATE TABLE silences (
        id text CONSTRAINT silences_pkey PRIMARY KEY,
        matchers jsonb NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        created_by text NOT NULL,
        comment text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX silences_ends_at_idx ON silences (ends_at)`);

    await q.query(`
      CREATE TABLE alert_deliveries (
        id bigserial CONSTRAINT alert_deliveries_pkey PRIMARY KEY,
        channel text NOT NULL,
        recipient text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        error_message text,
        retry_count integer NOT NULL DEFAULT 0,
        failed_at timestamptz,
        receiver text NOT NULL,
        target_key text NOT NULL,
        group_id bigint,
        group_key text NOT NULL,
        fingerprints text[] NOT NULL DEFAULT '{}',
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        due_at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        claimed_by text,
        lease_until timestamptz,
        coalesced_into bigint CONSTRAINT alert_deliveries_coalesced_fk REFERENCES alert_deliveries (id),
        is_summary boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT alert_deliveries_status_check CHECK (status IN ('pending', 'sending', 'delivered', 'poison', 'discarded', 'coalesced')),
        CONSTRAINT alert_deliveries_channel_check CHECK (channel IN ('slack', 'pagerduty', 'sms', 'email', 'webhook', 'log'))
      )`);
    await q.query(`CREATE INDEX alert_deliveries_due_idx ON alert_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX alert_deliveries_lease_idx ON alert_deliveries (lease_until) WHERE status = 'sending'`);
    await q.query(`CREATE INDEX alert_deliveries_poison_idx ON alert_deliveries (failed_at DESC) WHERE status = 'poison'`);
    await q.query(`CREATE INDEX alert_deliveries_created_idx ON alert_deliveries (created_at)`);
    await q.query(`CREATE INDEX alert_deliveries_target_idx ON alert_deliveries (channel, recipient) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX alert_deliveries_fingerprints_idx ON alert_deliveries USING gin (fingerprints)`);

    // A delivery set back to pending (by the API or by hand in psql) is due at once, whatever its
    // old next_attempt_at or lease; then every new or re-pended delivery wakes the workers.
    await q.query(`
      CREATE FUNCTION alert_deliveries_repend() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'pending' AND OLD.status IN ('poison', 'discarded', 'delivered')
           AND NEW.next_attempt_at IS NOT DISTINCT FROM OLD.next_attempt_at THEN
          NEW.next_attempt_at := now();
          NEW.due_at := now();
          NEW.claimed_by := NULL;
          NEW.lease_until := NULL;
        END IF;
        IF NEW.status = 'pending' AND OLD.status = 'sending' AND NEW.lease_until IS NOT DISTINCT FROM OLD.lease_until THEN
          NEW.claimed_by := NULL;
          NEW.lease_until := NULL;
        END IF;
        NEW.updated_at := now();
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER alert_deliveries_repend_trg BEFORE UPDATE ON alert_deliveries
      FOR EACH ROW EXECUTE FUNCTION alert_deliveries_repend()`);
    await q.query(`
      CREATE FUNCTION alert_deliveries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('tocsin_deliveries', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER alert_deliveries_insert_notify_trg AFTER INSERT ON alert_deliveries
      FOR EACH STATEMENT EXECUTE FUNCTION alert_deliveries_notify()`);
    await q.query(`
      CREATE TRIGGER alert_deliveries_repend_notify_trg AFTER UPDATE OF status ON alert_deliveries
      FOR EACH ROW WHEN (NEW.status = 'pending' AND OLD.status <> 'pending')
      EXECUTE FUNCTION alert_deliveries_notify()`);

    await q.query(`
      CREATE TABLE delivery_attempts (
        id bigserial CONSTRAINT delivery_attempts_pkey PRIMARY KEY,
        delivery_id bigint NOT NULL CONSTRAINT delivery_attempts_delivery_fk REFERENCES alert_deliveries (id) ON DELETE CASCADE,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        outcome text NOT NULL,
        provider text NOT NULL,
        provider_status integer,
        provider_code text,
        error text,
        worker text,
        CONSTRAINT delivery_attempts_outcome_check CHECK (outcome IN ('delivered', 'retry', 'poison', 'released'))
      )`);
    await q.query(`CREATE INDEX delivery_attempts_delivery_idx ON delivery_attempts (delivery_id, id)`);

    await q.query(`
      CREATE TABLE rate_limit_buckets (
        bucket text CONSTRAINT rate_limit_buckets_pkey PRIMARY KEY,
        tokens double precision NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE target_state (
        group_key text NOT NULL,
        receiver text NOT NULL,
        target_key text NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT target_state_pkey PRIMARY KEY (group_key, receiver, target_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE target_state`);
    await q.query(`DROP TABLE rate_limit_buckets`);
    await q.query(`DROP TABLE delivery_attempts`);
    await q.query(`DROP TABLE alert_deliveries`);
    await q.query(`DROP FUNCTION alert_deliveries_notify`);
    await q.query(`DROP FUNCTION alert_deliveries_repend`);
    await q.query(`DROP TABLE silences`);
    await q.query(`DROP TABLE group_alerts`);
    await q.query(`DROP TABLE notification_groups`);
    await q.query(`DROP TABLE alerts`);
  }
}

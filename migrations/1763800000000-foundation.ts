import type { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys with their hashed secrets, the hash-chained audit log, and operational switches. */
export class Foundation1763800000000 implements MigrationInterface {
  name = 'Foundation1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id bigserial CONSTRAINT api_keys_pkey PRIMARY KEY,
        name text NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        CONSTRAINT api_keys_scopes_check CHECK (scopes <@ ARRAY['alerts:write','alerts:read','silences:write','deliveries:read','deliveries:write','audit:read','admin']::text[])
      )`);
    await q.query(`CREATE UNIQUE INDEX api_keys_live_name_uniq ON api_keys (name) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE api_key_secrets (
        id bigserial CONSTRAINT api_key_secrets_pkey PRIMARY KEY,
        key_id bigint NOT NULL CONSTRAINT api_key_secrets_key_fk REFERENCES api_keys (id) ON DELETE CASCADE,
        lookup text NOT NULL,
        secret_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      )`);
    await q.query(`CREATE INDEX api_key_secrets_lookup_idx ON api_key_secrets (lookup)`);
    await q.query(`CREATE INDEX api_key_secrets_key_idx ON api_key_secrets (key_id)`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial CONSTRAINT audit_log_pkey PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_key_id bigint,
        actor_key_name text NOT NULL,
        action text NOT NULL,
        target text,
        request_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        write_seconds double precision NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, id)`);
    await q.query(`
      CREATE TABLE ops_state (
        name text CONSTRAINT ops_state_pkey PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ops_state`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE api_key_secrets`);
    await q.query(`DROP TABLE api_keys`);
  }
}

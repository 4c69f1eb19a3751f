import { Injectable } from '@nestjs/common';
import { sql, type Tx } from '../db/tx.js';
import type { NewDelivery } from './delivery.types.js';

/** The insert side of the outbox: flushes add pending deliveries inside their own transaction. */
@Injectable()
export class DeliveryOutboxRepository {
  /** One multi-row INSERT for all rows; returns the new ids in input order. */
  async insertPending(tx: Tx, rows: readonly NewDelivery[]): Promise<string[]> {
    if (rows.length === 0) return [];
    const result = await sql<{ id: string }>(
      tx,
      `INSERT INTO alert_deliveries
         (channel, recipient, receiver, target_key, group_id, group_key, fingerprints, payload, created_at, due_at, next_attempt_at, status)
       SELECT r.channel, r.recipient, r.receiver, r.target_key, r.group_id, r.group_key,
              ARRAY(SELECT jsonb_array_elements_text(r.fingerprints)), r.payload, r.due_at, r.due_at, r.due_at, 'pending'
         FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (
              channel text, recipient text, receiver text, target_key text, group_id bigint, group_key text,
              fingerprints jsonb, payload jsonb, due_at timestamptz))
              WITH ORDINALITY AS r(channel, recipient, receiver, target_key, group_id, group_key, fingerprints, payload, due_at, ord)
        ORDER BY ord
       RETURNING id::text`,
      [
        JSON.stringify(
          rows.map((r) => ({
            channel: r.channel,
            recipient: r.recipient,
            receiver: r.receiver,
            target_key: r.targetKey,
            group_id: r.groupId,
            group_key: r.groupKey,
            fingerprints: r.fingerprints,
            payload: r.payload,
            due_at: r.dueAt.toISOString(),
          })),
        ),
      ],
    );
    return result.map((r) => r.id);
  }
}

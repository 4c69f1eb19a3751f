import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Tx } from './tx.js';

/** Opens transactions; the only place services reach the database from. */
@Injectable()
export class Database {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction: it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work({ manager }));
  }

  /** A handle for reads and single statements outside a transaction. */
  get reader(): Tx {
    return { manager: this.dataSource.manager };
  }

  get source(): DataSource {
    return this.dataSource;
  }
}

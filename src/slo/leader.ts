/** Who evaluates SLOs: the one replica holding the lock. */
export interface LeaderLock {
  readonly isLeader: boolean;
  /** True when this process holds the lock now (taking it when free). */
  acquire(): Promise<boolean>;
  /** The session holding the lock (its backend pid) and the lock key, for a fence check inside a transaction; null when not leading. */
  fence(): { pid: number; key: number } | null;
  /** Gives the lock up (shutdown). */
  close(): Promise<void>;
}

export const SLO_LEADER = Symbol('SloLeaderLock');

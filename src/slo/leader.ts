/** Who evaluates SLOs: the one replica holding the lock. */
export interface LeaderLock {
  readonly isLeader: boolean;
  /** True when this process holds the lock now (taking it when free). */
  acquire(): Promise<boolean>;
  /** Gives the lock up (shutdown). */
  close(): Promise<void>;
}

export const SLO_LEADER = Symbol('SloLeaderLock');

/** Alertmanager's silence matcher as its API writes it. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** Alertmanager's `silenceStatus.state`. */
export enum SilenceState {
  Active = 'active',
  Pending = 'pending',
  Expired = 'expired',
}

export interface SilenceRecord {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
  updatedAt: Date;
}

/** Alertmanager's gettable silence. */
export interface GettableSilence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  updatedAt: string;
  status: { state: SilenceState };
}

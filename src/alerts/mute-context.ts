import type { AlertRecord } from './alert.types.js';
import type { Inhibitor } from './inhibit.js';
import type { Labels } from './matchers.js';
import { CompiledSilence, silencedBy } from './silence-logic.js';
import type { SilenceRecord } from './silence.types.js';

/**
 * "Is this alert muted, and by what" at one instant: the silences active then and the
 * inhibition by the alerts firing then. One shared answer for flushes and the read API.
 */
export class MuteContext {
  private readonly silences: CompiledSilence[];
  private readonly inhibit: (labels: Labels) => string[];

  constructor(
    silences: readonly SilenceRecord[],
    inhibitor: Inhibitor,
    firing: readonly AlertRecord[],
    private readonly now: Date,
  ) {
    this.silences = silences.map((s) => new CompiledSilence(s));
    this.inhibit = inhibitor.rules.length === 0 ? () => [] : inhibitor.prepare(firing.map((a) => ({ fingerprint: a.fingerprint, labels: a.labels })));
  }

  silencedBy(labels: Labels): string[] {
    return silencedBy(this.silences, labels, this.now);
  }

  inhibitedBy(labels: Labels): string[] {
    return this.inhibit(labels);
  }

  isMuted(labels: Labels): boolean {
    return this.silencedBy(labels).length > 0 || this.inhibitedBy(labels).length > 0;
  }
}

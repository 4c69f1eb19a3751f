import { Inject, Injectable } from '@nestjs/common';
import { RE2JS } from 're2js';
import { listTargets } from '../channels/targets.js';
import { AppError, ErrorCode } from '../common/app-error.js';
import { CLOCK, type Clock } from '../common/clock.js';
import { CONFIG_HOLDER, type ConfigHolder } from '../config/config.holder.js';
import { redactConfig } from '../config/config.redact.js';
import { Database } from '../db/database.service.js';
import { AlertGroupsRepository } from './alert-groups.repository.js';
import { type AlertRecord, AlertState, AlertStatus, isResolvedAt } from './alert.types.js';
import { AlertsRepository } from './alerts.repository.js';
import { type Labels, type Matcher, matchesAll } from './matchers.js';
import { MuteContext } from './mute-context.js';
import { routingSnapshotOf } from './routing-snapshot.js';
import { SilencesRepository } from './silences.repository.js';

/** Alertmanager's gettable alert. */
export interface GettableAlert {
  annotations: Record<string, string>;
  endsAt: string;
  fingerprint: string;
  receivers: { name: string }[];
  startsAt: string;
  status: { inhibitedBy: string[]; silencedBy: string[]; state: AlertState };
  updatedAt: string;
  generatorURL: string;
  labels: Record<string, string>;
}

export interface AlertGroupView {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: GettableAlert[];
}

export interface V2AlertFilter {
  filter: Matcher[];
  active: boolean;
  silenced: boolean;
  inhibited: boolean;
  /** Anchored RE2 on receiver names; null = any. */
  receiver: string | null;
}

/** One alert in Tocsin's own list. */
export interface AlertView {
  fingerprint: string;
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL: string;
  source: string;
  silencedBy: string[];
  inhibitedBy: string[];
  receivers: string[];
}

export interface RouteTestResult {
  receivers: { name: string; targets: { channel: string; recipient: string }[] }[];
}

const STARTED_AT = new Date();

function encodeAlertCursor(a: AlertRecord): string {
  return Buffer.from(JSON.stringify({ s: a.startsAt.toISOString(), f: a.fingerprint }), 'utf8').toString('base64url');
}

function decodeAlertCursor(cursor: string | undefined): { startsAt: Date; fingerprint: string } | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; f?: unknown };
    if (typeof v.s === 'string' && typeof v.f === 'string' && !Number.isNaN(Date.parse(v.s))) return { startsAt: new Date(v.s), fingerprint: v.f };
  } catch {
    // fall through
  }
  throw new AppError(ErrorCode.Validation, 'cursor is not one this API issued; start again without it', [{ path: 'cursor', message: 'not a cursor returned by this API' }]);
}

/** Reads of alerts, groups, receivers and status, muting computed at the moment of the read. */
@Injectable()
export class AlertsQueryService {
  constructor(
    private readonly db: Database,
    private readonly alerts: AlertsRepository,
    private readonly groups: AlertGroupsRepository,
    private readonly silences: SilencesRepository,
    @Inject(CONFIG_HOLDER) private readonly config: ConfigHolder,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async context(now: Date, firing?: AlertRecord[]): Promise<{ mute: MuteContext; firing: AlertRecord[] }> {
    const snapshot = routingSnapshotOf(this.config.current());
    const tx = this.db.reader;
    const all = firing ?? (await this.alerts.listFiring(tx, now));
    const silences = await this.silences.listUnexpired(tx, now);
    return { mute: new MuteContext(silences, snapshot.inhibitor, all, now), firing: all };
  }

  private gettable(a: AlertRecord, mute: MuteContext): GettableAlert {
    const snapshot = routingSnapshotOf(this.config.current());
    const silencedBy = mute.silencedBy(a.labels);
    const inhibitedBy = mute.inhibitedBy(a.labels);
    return {
      annotations: a.annotations,
      endsAt: a.endsAt.toISOString(),
      fingerprint: a.fingerprint,
      receivers: snapshot.receiversOf(a.labels).map((name) => ({ name })),
      startsAt: a.startsAt.toISOString(),
      status: { inhibitedBy, silencedBy, state: silencedBy.length || inhibitedBy.length ? AlertState.Suppressed : AlertState.Active },
      updatedAt: a.updatedAt.toISOString(),
      generatorURL: a.generatorURL,
      labels: a.labels,
    };
  }

  private keep(g: GettableAlert, f: V2AlertFilter, receiverRe: RE2JS | null): boolean {
    if (!matchesAll(f.filter, g.labels)) return false;
    if (!f.active && g.status.state === AlertState.Active) return false;
    if (!f.silenced && g.status.silencedBy.length > 0) return false;
    if (!f.inhibited && g.status.inhibitedBy.length > 0) return false;
    if (receiverRe && !g.receivers.some((r) => receiverRe.testExact(r.name))) return false;
    return true;
  }

  private receiverRe(f: V2AlertFilter): RE2JS | null {
    if (f.receiver === null) return null;
    try {
      return RE2JS.compile(`^(?:${f.receiver})$`);
    } catch (err) {
      throw new AppError(ErrorCode.Validation, 'receiver is not a valid regular expression', [{ path: 'receiver', message: (err as Error).message }]);
    }
  }

  /** `GET /api/v2/alerts`: alerts not resolved, by fingerprint. */
  async v2Alerts(f: V2AlertFilter): Promise<GettableAlert[]> {
    const re = this.receiverRe(f);
    const now = this.clock.now();
    const { mute, firing } = await this.context(now);
    return firing
      .map((a) => this.gettable(a, mute))
      .filter((g) => this.keep(g, f, re))
      .sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  }

  /** `GET /api/v2/alerts/groups`: the notification groups with their unresolved alerts. */
  async v2Groups(f: V2AlertFilter): Promise<AlertGroupView[]> {
    const re = this.receiverRe(f);
    const now = this.clock.now();
    const { mute, firing } = await this.context(now);
    const byFp = new Map(firing.map((a) => [a.fingerprint, a]));
    const out: AlertGroupView[] = [];
    for (const g of await this.groups.listWithMembers(this.db.reader)) {
      if (re && !re.testExact(g.receiver)) continue;
      const alerts = g.fingerprints
        .map((fp) => byFp.get(fp))
        .filter((a): a is AlertRecord => a !== undefined)
        .map((a) => this.gettable(a, mute))
        .filter((a) => this.keep(a, { ...f, receiver: null }, null));
      if (alerts.length > 0) out.push({ labels: g.groupLabels, receiver: { name: g.receiver }, alerts });
    }
    return out;
  }

  /** `GET /api/v1/alerts`: newest first, cursor-paginated, with muting and receivers. */
  async list(q: { status: AlertStatus | null; filter: Matcher[]; limit: number; cursor?: string }): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    const now = this.clock.now();
    const { mute } = await this.context(now);
    const snapshot = routingSnapshotOf(this.config.current());
    const firing = q.status === null ? null : q.status === AlertStatus.Firing;
    const picked: AlertRecord[] = [];
    let before = decodeAlertCursor(q.cursor);
    const chunk = Math.max(q.limit, 200);
    for (;;) {
      const rows = await this.alerts.list(this.db.reader, { firing, now, limit: chunk, before });
      for (const r of rows.slice(0, chunk)) if (matchesAll(q.filter, r.labels)) picked.push(r);
      if (picked.length > q.limit || rows.length <= chunk) break;
      const last = rows[chunk - 1];
      before = { startsAt: last.startsAt, fingerprint: last.fingerprint };
    }
    const items = picked.slice(0, q.limit);
    return {
      items: items.map((a) => ({
        fingerprint: a.fingerprint,
        status: isResolvedAt(a, now) ? AlertStatus.Resolved : AlertStatus.Firing,
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt.toISOString(),
        endsAt: a.endsAt.toISOString(),
        updatedAt: a.updatedAt.toISOString(),
        generatorURL: a.generatorURL,
        source: a.source,
        silencedBy: mute.silencedBy(a.labels),
        inhibitedBy: mute.inhibitedBy(a.labels),
        receivers: snapshot.receiversOf(a.labels),
      })),
      nextCursor: picked.length > q.limit && items.length > 0 ? encodeAlertCursor(items[items.length - 1]) : null,
    };
  }

  /** The receivers (and their targets) a label set routes to, in amtool's order. */
  routesTest(labels: Labels): RouteTestResult {
    const config = this.config.current();
    const snapshot = routingSnapshotOf(config);
    return {
      receivers: snapshot.match(labels).map((route) => ({
        name: route.receiver,
        targets: listTargets(route.receiver, config).map((t) => ({ channel: t.channel, recipient: t.recipient })),
      })),
    };
  }

  receivers(): { name: string }[] {
    return this.config.current().receivers.map((r) => ({ name: r.name }));
  }

  status(): Record<string, unknown> {
    return {
      cluster: { status: 'disabled', peers: [] },
      versionInfo: {
        branch: 'main',
        buildDate: '',
        buildUser: 'tocsin',
        goVersion: `node${process.versions.node}`,
        revision: '',
        version: `tocsin-${process.env.npm_package_version ?? '0.1.0'}`,
      },
      config: { original: redactConfig(this.config.current()) },
      uptime: STARTED_AT.toISOString(),
    };
  }
}

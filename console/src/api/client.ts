import { buildPath, ENDPOINTS, type EndpointName, READYZ_PATH } from './routes';
import type {
  AlertView,
  ApiKey,
  AuditEntry,
  BulkReplayBody,
  BulkReplayResult,
  CreatedKey,
  Delivery,
  DeliveryDetail,
  DeliveryStats,
  Heartbeat,
  NewSilence,
  Page,
  Problem,
  Readiness,
  Scope,
  SendingState,
  Silence,
  SloItem,
  VerifyResult,
  WhoAmI,
} from './types';

/** An answer other than 2xx, with the problem details the API sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(describeProblem(status, problem));
  }
}

/** The request never got an answer (network down, service stopped). */
export class NetworkError extends Error {}

function describeProblem(status: number, p: Problem): string {
  const head = [p.title, p.detail].filter(Boolean).join(': ') || `HTTP ${status}`;
  const fields = (p.errors ?? []).map((e) => `${e.path || 'body'}: ${e.message}`);
  return fields.length > 0 ? `${head} (${fields.join('; ')})` : head;
}

type Query = Record<string, string | string[] | undefined>;

interface CallOptions {
  params?: Record<string, string>;
  query?: Query;
  body?: unknown;
}

/** The API as the console uses it; every request carries the signed-in key. */
export class ApiClient {
  constructor(private readonly key: string) {}

  private async raw(name: EndpointName, opts: CallOptions = {}): Promise<Response> {
    const ep = ENDPOINTS[name];
    const headers: Record<string, string> = { authorization: `Bearer ${this.key}` };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(buildPath(ep.path, opts.params, opts.query), {
        method: ep.method,
        headers,
        body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      });
    } catch (err) {
      throw new NetworkError(`no answer from the service (${err instanceof Error ? err.message : String(err)})`);
    }
    if (!res.ok) {
      let problem: Problem = {};
      try {
        problem = (await res.json()) as Problem;
      } catch {
        // not JSON: keep the status only
      }
      throw new ApiError(res.status, problem);
    }
    return res;
  }

  private async json<T>(name: EndpointName, opts: CallOptions = {}): Promise<T> {
    const res = await this.raw(name, opts);
    return (await res.json()) as T;
  }

  whoami = (): Promise<WhoAmI> => this.json('whoami');

  alerts = (q: { status?: string; filter?: string }): Promise<Page<AlertView>> => this.json('alerts', { query: { ...q, limit: '200' } });
  silences = (): Promise<Page<Silence>> => this.json('silences', { query: { limit: '500' } });
  createSilence = (body: NewSilence): Promise<{ id: string }> => this.json('createSilence', { body });
  expireSilence = async (id: string): Promise<void> => {
    await this.raw('expireSilence', { params: { id } });
  };

  deliveries = (q: Query): Promise<Page<Delivery>> => this.json('deliveries', { query: q });
  delivery = (id: string): Promise<DeliveryDetail> => this.json('delivery', { params: { id } });
  deliveryStats = (window: string): Promise<DeliveryStats> => this.json('deliveryStats', { query: { window } });

  poison = (q: { channel?: string; cursor?: string }): Promise<Page<Delivery>> => this.json('poison', { query: { ...q, limit: '200' } });
  replayOne = (id: string, reason?: string): Promise<Delivery> => this.json('replayOne', { params: { id }, body: reason ? { reason } : {} });
  bulkReplay = (body: BulkReplayBody): Promise<BulkReplayResult> => this.json('bulkReplay', { body });
  discard = (id: string, reason: string): Promise<Delivery> => this.json('discard', { params: { id }, body: { reason } });

  sendingState = (): Promise<SendingState> => this.json('sendingState');
  pause = (reason: string): Promise<SendingState> => this.json('pause', { body: { reason } });
  resume = (reason: string): Promise<SendingState> => this.json('resume', { body: { reason } });

  slo = (): Promise<{ items: SloItem[] }> => this.json('slo');
  heartbeats = (): Promise<{ items: Heartbeat[] }> => this.json('heartbeats');

  keys = (): Promise<Page<ApiKey>> => this.json('keys', { query: { limit: '500' } });
  createKey = (name: string, scopes: Scope[]): Promise<CreatedKey> => this.json('createKey', { body: { name, scopes } });
  rotateKey = (id: string): Promise<CreatedKey> => this.json('rotateKey', { params: { id } });
  revokeKey = async (id: string): Promise<void> => {
    await this.raw('revokeKey', { params: { id } });
  };

  audit = (q: Query): Promise<Page<AuditEntry>> => this.json('audit', { query: q });
  auditVerify = (): Promise<VerifyResult> => this.json('auditVerify');
  /** The CSV export as a blob (fetched with the key in a header, never in the URL). */
  auditExport = async (q: Query): Promise<{ blob: Blob; truncated: boolean }> => {
    const res = await this.raw('auditExport', { query: q });
    return { blob: await res.blob(), truncated: res.headers.get('x-export-truncated') === 'true' };
  };
}

/** `GET /readyz` (no key): 200 ready, 503 with reasons; anything else is a failed refresh. */
export async function fetchReadiness(): Promise<Readiness> {
  let res: Response;
  try {
    res = await fetch(READYZ_PATH);
  } catch (err) {
    throw new NetworkError(`no answer from the service (${err instanceof Error ? err.message : String(err)})`);
  }
  if (res.status !== 200 && res.status !== 503) throw new ApiError(res.status, {});
  const body = (await res.json()) as { status?: string; reasons?: string[] };
  return { ready: res.status === 200, status: body.status ?? '', reasons: body.reasons ?? [] };
}

/** A 404 from a route that may not exist in this version of the service. */
export function isMissingRoute(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

/**
 * Secrets stay secret: every adapter passes its error text through here before it leaves the
 * adapter, and the logger uses the same functions. Redaction is conservative: a URL keeps only
 * its scheme and host (webhook paths such as Slack's `/services/T…/B…/…` are credentials), and
 * header-style and query-style credentials lose their value.
 */
export const REDACTED = '<redacted>';
export const SECRET_PLACEHOLDER = '<secret>';

/** Secret values shorter than this are not searched for (they would blank out ordinary words). */
const MIN_SECRET_LENGTH = 4;
/** Parts of a structured secret at least this long are secrets of their own. */
const MIN_SECRET_PART_LENGTH = 8;

const URL_PATTERN = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/?#"'<>]+)([^\s"'<>]*)/gi;
const AUTH_HEADER_PATTERN = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/g;
const KEY_VALUE_PATTERN =
  /\b(access_token|api_key|apikey|auth_token|bot_token|client_secret|credentials|key|password|passwd|pwd|routing_key|secret|sig|signature|token)(["']?\s*[=:]\s*["']?)([^\s&"',;}]+)/gi;
const SLACK_TOKEN_PATTERN = /\bxox[abpors]-[A-Za-z0-9-]+/g;
const SENDGRID_KEY_PATTERN = /\bSG\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g;

/** `https://user:pw@hooks.example.com/a/b?token=x` → `https://hooks.example.com/<redacted>`. */
export function redactUrl(url: string): string {
  return url.replace(URL_PATTERN, (_match, scheme: string, authority: string, rest: string) => {
    const host = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
    const hasMore = rest.length > 0 && rest !== '/';
    return `${scheme}://${host}${hasMore ? `/${REDACTED}` : ''}`;
  });
}

/** The scheme and host of a URL, for `recipient` (`https://hooks.example.com`); never its path or credentials. */
export function urlOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return REDACTED;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Removes known secret values (and their URL-encoded and base64 forms), URLs' paths and
 * credentials, auth headers and `key=value` credentials from a piece of text.
 */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  const values = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    values.add(secret);
    values.add(encodeURIComponent(secret));
    values.add(Buffer.from(secret).toString('base64'));
    // Structured tokens (`SG.<id>.<key>`, `xoxb-…-…`, `user:pass`, URL paths): their long parts too.
    for (const part of secret.split(/[-.:/?&=@]/)) if (part.length >= MIN_SECRET_PART_LENGTH) values.add(part);
  }
  // Longest first, so a secret that contains another is replaced whole.
  for (const value of [...values].sort((a, b) => b.length - a.length)) {
    if (value.length < MIN_SECRET_LENGTH) continue;
    out = out.replace(new RegExp(escapeRegExp(value), 'g'), SECRET_PLACEHOLDER);
  }
  out = redactUrl(out);
  out = out.replace(AUTH_HEADER_PATTERN, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(KEY_VALUE_PATTERN, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
  out = out.replace(SLACK_TOKEN_PATTERN, REDACTED);
  out = out.replace(SENDGRID_KEY_PATTERN, REDACTED);
  return out;
}

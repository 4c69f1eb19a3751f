/**
 * `${VAR}` and `${VAR:-default}` replaced in the file's text before YAML parsing (so a value
 * may sit inside a flow mapping such as `{ api_url: ${SLACK_URL:-} }`); `$$` is a literal `$`.
 * A variable that is unset and has no default is replaced by a marker that the loader finds
 * again in the parsed tree, so its error names the key path (and a variable in a comment is
 * no error).
 */
export type EnvMap = Readonly<Record<string, string | undefined>>;

const VAR_RE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$\{([^}]*)\}/g;
const MARKER_PREFIX = '__TOCSIN_UNSET_';
const MARKER_RE = /__TOCSIN_(UNSET|BADVAR)_([A-Za-z0-9_]*?)__/g;

export interface InterpolationResult {
  text: string;
}

export function interpolateEnv(text: string, env: EnvMap): InterpolationResult {
  const out = text.replace(VAR_RE, (match: string, name: string | undefined, def: string | undefined, bad: string | undefined) => {
    if (match === '$$') return '$';
    if (name === undefined) {
      const safe = (bad ?? '').replace(/[^A-Za-z0-9_]/g, '_');
      return `__TOCSIN_BADVAR_${safe}__`;
    }
    const value = env[name];
    const isColonForm = match.startsWith(`\${${name}:-`);
    if (value !== undefined && (value !== '' || !isColonForm)) return value;
    if (def !== undefined) return def;
    return `${MARKER_PREFIX}${name}__`;
  });
  return { text: out };
}

export interface MarkerHit {
  kind: 'unset' | 'invalid';
  name: string;
}

/** Variables left unresolved inside a parsed string value. */
export function findMarkers(value: string): MarkerHit[] {
  const hits: MarkerHit[] = [];
  for (const m of value.matchAll(MARKER_RE)) hits.push({ kind: m[1] === 'UNSET' ? 'unset' : 'invalid', name: m[2] });
  return hits;
}

export function hasMarker(value: string): boolean {
  return value.includes('__TOCSIN_UNSET_') || value.includes('__TOCSIN_BADVAR_');
}

/**
 * `TILL_*` environment variables and the config path each one sets. Environment wins over the file, so a
 * kiosk launcher or a container can override one field without rewriting the file.
 */
type Kind = 'string' | 'number' | 'boolean';

export const ENV_VARS: readonly { readonly name: string; readonly path: readonly string[]; readonly kind: Kind }[] = [
  { name: 'TILL_BRANCH_ID', path: ['branchId'], kind: 'string' },
  { name: 'TILL_POS_ID', path: ['posId'], kind: 'string' },
  { name: 'TILL_SOURCE_TYPE', path: ['sourceType'], kind: 'string' },
  { name: 'TILL_MODE', path: ['mode'], kind: 'string' },
  { name: 'TILL_CURRENCY', path: ['currency'], kind: 'string' },
  { name: 'TILL_LOCALE', path: ['locale'], kind: 'string' },
  { name: 'TILL_TIME_ZONE', path: ['timeZone'], kind: 'string' },
  { name: 'TILL_DATA_DIR', path: ['dataDir'], kind: 'string' },
  { name: 'TILL_DEMO', path: ['demo'], kind: 'boolean' },
  { name: 'TILL_START_AT_LOGIN', path: ['startAtLogin'], kind: 'boolean' },
  { name: 'TILL_API_PORT', path: ['api', 'port'], kind: 'number' },
  { name: 'TILL_DINTERO_BASE_URL', path: ['dintero', 'baseUrl'], kind: 'string' },
  { name: 'TILL_DINTERO_ACCOUNT_ID', path: ['dintero', 'accountId'], kind: 'string' },
  { name: 'TILL_DINTERO_CLIENT_ID', path: ['dintero', 'clientId'], kind: 'string' },
  { name: 'TILL_DINTERO_CLIENT_SECRET', path: ['dintero', 'clientSecret'], kind: 'string' },
  { name: 'TILL_LOYALTY_BASE_URL', path: ['loyalty', 'baseUrl'], kind: 'string' },
  { name: 'TILL_LOYALTY_API_KEY', path: ['loyalty', 'apiKey'], kind: 'string' },
  { name: 'TILL_LOG_LEVEL', path: ['log', 'level'], kind: 'string' },
];

function coerce(raw: string, kind: Kind): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'number':
      // Leave a non-number as a string so validation names the variable's field and says "expected number".
      return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    case 'boolean':
      return ['1', 'true', 'yes', 'on'].includes(raw.trim().toLowerCase())
        ? true
        : ['0', 'false', 'no', 'off', ''].includes(raw.trim().toLowerCase())
          ? false
          : raw;
  }
}

/** Overlays the `TILL_*` variables onto a parsed config object (a fresh copy; the input is not changed). */
export function overlayEnv(base: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const v of ENV_VARS) {
    const raw = env[v.name];
    if (raw === undefined) continue;
    let node: Record<string, unknown> = out;
    for (const key of v.path.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[v.path[v.path.length - 1] as string] = coerce(raw, v.kind);
  }
  return out;
}

/**
 * Other ways to spell a path that a router, a file server or a proxy may take for the same route: the shapes an
 * attacker tries to slip past a check made on the raw URL (issue 19, finding 1). Each entry is [what, spelling].
 */
export function pathSpellings(p: string): [string, string][] {
  const segments = p.split('/').slice(1);
  const last = segments[segments.length - 1] ?? '';
  const encodeAll = (s: string): string => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  const head = `/${segments.slice(0, -1).join('/')}`;
  return [
    ['as written', p],
    ['an encoded letter', p.replace('/api', '/%61pi')],
    ['an encoded letter, upper-case hex', p.replace('/api', '/%41PI')],
    ['an encoded letter in the last segment', `${head}/%${last.charCodeAt(0).toString(16)}${last.slice(1)}`],
    ['every character encoded', `/${segments.map(encodeAll).join('/')}`],
    ['an overlong UTF-8 letter', p.replace('/api', '/%c1%a1pi')],
    ['a leading double slash', `/${p}`],
    ['an inner double slash', p.replace('/api/', '/api//')],
    ['a dot segment', p.replace('/api/', '/api/./')],
    ['a dot-dot segment', p.replace('/api/', '/api/x/../')],
    ['an encoded dot segment', p.replace('/api/', '/api/%2e/')],
    ['an encoded dot-dot segment', p.replace('/api/', '/api/x/%2e%2e/')],
    ['upper case', p.toUpperCase()],
    ['mixed case', p.replace('/api', '/Api')],
    ['a trailing slash', `${p}/`],
    ['a trailing dot', `${p}.`],
    ['a ; parameter at the end', `${p};x=1`],
    ['a ; parameter inside', p.replace('/api', '/api;x=1')],
    ['an encoded slash', p.replace(/\//g, (_m, i: number) => (i === 0 ? '/' : '%2F'))],
    ['an encoded slash, lower case', p.replace('/api/', '/api%2f')],
    ['an encoded backslash', p.replace('/api/', '/api%5c')],
    ['an encoded NUL at the end', `${p}%00`],
    ['an empty token in the query', `${p}?token=`],
    ['a token with an encoded space', `${p}?token=%20`],
  ];
}

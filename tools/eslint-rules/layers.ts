/**
 * The layer map of DESIGN.md §2 and STYLE.md §2.1, as data. The `layering` lint rule reads it; a wrong-way
 * import or an npm package that no layer lists fails `npm test`.
 *
 * A layer is named by the folder prefix of its files. `internal` lists the folders (repo-relative prefixes)
 * it may import; `packages` lists the npm packages (and `node:` built-ins) it may import, each with why.
 */
export type Layer = {
  readonly folder: string;
  readonly internal: readonly string[];
  readonly packages: Readonly<Record<string, string>>;
};

const NODE_BUILTINS = 'node:*';

export const LAYERS: readonly Layer[] = [
  {
    folder: 'main/core/',
    internal: ['main/core/'],
    packages: {
      zod: 'the rule and receipt models are zod schemas; zod is pure and has no side effects',
    },
  },
  {
    folder: 'main/config/',
    internal: ['main/core/', 'main/config/'],
    packages: { zod: 'the config schema', [NODE_BUILTINS]: 'reads the config file and the environment' },
  },
  {
    folder: 'main/log/',
    internal: ['main/core/', 'main/log/'],
    packages: {
      pino: 'structured JSON logging',
      'pino-pretty': 'readable logs on a terminal',
      [NODE_BUILTINS]: 'file paths',
    },
  },
  {
    folder: 'main/store/',
    internal: ['main/core/', 'main/store/'],
    packages: { 'better-sqlite3': 'the SQLite driver', [NODE_BUILTINS]: 'paths, files and hashes' },
  },
  {
    folder: 'main/sync/',
    internal: ['main/core/', 'main/store/', 'main/sync/', 'main/log/'],
    packages: { zod: 'parses back-end answers', [NODE_BUILTINS]: 'http clients and timers' },
  },
  {
    folder: 'main/devices/',
    internal: ['main/core/', 'main/store/', 'main/devices/', 'native/', 'main/log/'],
    packages: { [NODE_BUILTINS]: 'timers and events' },
  },
  {
    // Pure like main/core (DESIGN.md §2): symbologies, check digits and GS1 parsing, tested without I/O. No
    // `node:*`, no serial port: a scanner driver lives in native/scanners and hands this folder strings.
    folder: 'native/barcode/',
    internal: ['main/core/', 'native/barcode/'],
    packages: {},
  },
  {
    folder: 'native/',
    internal: ['main/core/', 'native/'],
    packages: {
      serialport: 'serial scanners and printers',
      'node-hid': 'USB HID POS scanners, loaded lazily',
      '@point-of-sale/receipt-printer-encoder': 'ESC/POS encoding, code pages, QR, cut, drawer kick',
      [NODE_BUILTINS]: 'sockets and files for printer transports',
    },
  },
  {
    folder: 'main/api/',
    internal: ['main/core/', 'main/store/', 'main/sync/', 'main/devices/', 'main/api/', 'main/config/', 'main/log/'],
    packages: {
      zod: 'the contract',
      fastify: 'the loopback HTTP server',
      '@fastify/websocket': 'the event stream',
      '@fastify/static': 'serves the built renderer',
      [NODE_BUILTINS]: 'paths, crypto for the token',
    },
  },
  {
    folder: 'main/sandbox/',
    internal: ['main/core/', 'main/store/', 'main/api/contract', 'main/sandbox/', 'main/log/'],
    packages: {
      zod: 'validates requests',
      fastify: 'the simulated servers',
      'better-sqlite3': "the simulators keep their own state in SQLite, apart from the till's store",
      [NODE_BUILTINS]: 'sockets, crypto, files',
    },
  },
  {
    folder: 'main/agent/',
    // Everything it wires together, listed: never main/electron or main/cli (they start the agent, not the
    // other way round). main/sandbox only for the demo's data folder (demo-catalog.ts).
    internal: ['main/agent/', 'main/api/', 'main/config/', 'main/core/', 'main/devices/', 'main/log/', 'main/store/', 'main/sync/', 'main/sandbox/demo-dir'],
    packages: { [NODE_BUILTINS]: 'process and paths' },
  },
  {
    folder: 'main/cli/',
    internal: ['main/', 'native/'],
    packages: { commander: 'the command-line parser', [NODE_BUILTINS]: 'process, files, terminal' },
  },
  {
    folder: 'main/electron/',
    // The shell starts the agent and speaks the contract; it reaches no store, sync or device code directly.
    internal: ['main/electron/', 'main/agent/', 'main/api/', 'main/config/', 'main/core/', 'main/log/'],
    packages: { electron: 'the desktop shell; the only layer that imports it', [NODE_BUILTINS]: 'paths' },
  },
  {
    folder: 'renderer/shared/',
    internal: ['renderer/shared/', 'main/api/contract', 'main/api/channels'],
    packages: { preact: 'the UI library (docs/renderer.md says why)', 'preact/hooks': 'state in components', zod: 'parses API answers with the contract' },
  },
  {
    // The entry point: picks a surface and wires the API client; the only renderer code that sees all three.
    folder: 'renderer/app/',
    internal: ['renderer/', 'main/api/contract', 'main/api/channels'],
    packages: { preact: 'the UI library', 'preact/hooks': 'state in components' },
  },
  ...['cashier', 'kiosk', 'manager'].map(
    (surface): Layer => ({
      folder: `renderer/${surface}/`,
      internal: [`renderer/${surface}/`, 'renderer/shared/', 'main/api/contract', 'main/api/channels'],
      packages: { preact: 'the UI library', 'preact/hooks': 'state in components', zod: 'parses API answers' },
    }),
  ),
];

/** The layer a repo-relative file belongs to, or undefined for files outside the layered tree (tests, tools). */
export function layerOf(file: string): Layer | undefined {
  let best: Layer | undefined;
  for (const layer of LAYERS) {
    if (file.startsWith(layer.folder) && (!best || layer.folder.length > best.folder.length)) best = layer;
  }
  return best;
}

export function packageName(source: string): string {
  if (source.startsWith('node:')) return NODE_BUILTINS;
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? source);
}

export function packageAllowed(layer: Layer, source: string): boolean {
  if (layer.packages[source] !== undefined) return true;
  return layer.packages[packageName(source)] !== undefined;
}

export function internalAllowed(layer: Layer, target: string): boolean {
  // `../log` resolves to "main/log" (a folder's index): compare with a trailing slash too.
  return layer.internal.some((prefix) => target.startsWith(prefix) || `${target}/`.startsWith(prefix));
}

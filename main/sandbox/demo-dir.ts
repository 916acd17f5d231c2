/**
 * Where the demo store's files are. Apart from the loader (demo-data.ts) because the agent needs only this at
 * start-up (a demo till's catalog), and the loader brings the sandbox's schemas with it.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DemoDataError extends Error {
  override readonly name = 'DemoDataError';
}

/** The demo folder: given, or found by walking up from the working directory and from this module. */
export function findDemoDir(explicit?: string): string {
  if (explicit !== undefined) return explicit;
  const starts = [process.cwd(), typeof __dirname === 'string' ? __dirname : undefined, process.argv[1] ? path.dirname(process.argv[1]) : undefined];
  for (const start of starts) {
    if (start === undefined) continue;
    let dir = path.resolve(start);
    for (;;) {
      if (fs.existsSync(path.join(dir, 'demo', 'rules.json'))) return path.join(dir, 'demo');
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new DemoDataError('Cannot find the demo/ folder (with rules.json); pass demoDir');
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycles, importGraph } from './import-graph';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

describe('import cycles (DESIGN.md §2: none anywhere)', () => {
  it('main/, native/ and renderer/ import without a cycle', () => {
    const graph = importGraph(ROOT, ['main', 'native', 'renderer']);
    // The graph is real: the agent's entry reaches the store through its imports.
    expect(graph.get('main/agent/start-agent.ts')?.length).toBeGreaterThan(5);
    expect(findCycles(graph)).toEqual([]);
  });

  it('finds a cycle through a re-export, a type import and an index file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-cycles-'));
    try {
      const write = (file: string, text: string): void => {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), text);
      };
      write('src/a.ts', "import type { B } from './b';\nexport type A = B;\n");
      write('src/b.ts', "export * from './c';\nexport type B = number;\n");
      write('src/c/index.ts', "import { x } from '../a';\nimport fs from 'node:fs';\nexport const y = 1;\n");
      write('src/d.ts', "import { y } from './c';\nexport const z = () => import('./d');\n");
      write('src/e.ts', "import { y } from './c';\n");
      const cycles = findCycles(importGraph(dir, ['src']));
      expect(cycles).toEqual([['src/a.ts', 'src/b.ts', 'src/c/index.ts'], ['src/d.ts']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

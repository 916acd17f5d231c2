import { useOwnerOnlyUmask } from '../agent/owner-only-umask';
import { main } from './index';

useOwnerOnlyUmask();

// Entry point of the bundled CLI (dist/main/cli.cjs).
main().catch((err: unknown) => {
  process.stderr.write(`till-agent: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});

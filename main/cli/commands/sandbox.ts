import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir } from '../../config';
import { TillError } from '../../core/errors';
import { type CommonOptions, newCommand, reportFailure } from '../common';

type SandboxOptions = CommonOptions & { port?: string; faults?: string; demo: boolean; strict?: boolean };

/**
 * `till-agent sandbox`: the loopback simulators of Dintero and the Loyalty POS API, seeded with the demo store,
 * for demos and for trying a till against misbehaving servers. The credentials it prints are its own test
 * credentials, never real ones.
 */
export function sandboxCommand(): Command {
  return newCommand('sandbox', 'run local simulators of the Dintero and Loyalty POS APIs (demo store, fault injection)')
    .option('--port <n>', 'Dintero simulator port; the Loyalty simulator takes the next one (0 = any free ports)', '0')
    .option('--faults <file>', 'JSON fault configuration (latency, 5xx, 429, resets, hangs, offline; see docs/sandbox.md)')
    .option('--no-demo', 'start empty instead of loading the demo store from demo/')
    .option('--strict', 'also require x-pos-id and x-branch-id on Dintero calls (the real service ignores them)')
    .action(async (opts: SandboxOptions) => {
      try {
        // Loaded here, not with the CLI: no other command needs the simulators (docs/performance.md, "Start-up").
        const { parseFaultConfig, startSandbox } = await import('../../sandbox');
        const port = Number(opts.port ?? '0');
        if (!Number.isInteger(port) || port < 0 || port > 65534) {
          throw new TillError('CONFIG_INVALID', `--port must be a whole number from 0 to 65534, got "${opts.port}".`);
        }
        let faults;
        if (opts.faults) {
          let raw: unknown;
          try {
            raw = JSON.parse(fs.readFileSync(opts.faults, 'utf8'));
          } catch (err) {
            throw new TillError('CONFIG_INVALID', `Cannot read the fault file ${opts.faults}: ${(err as Error).message}`);
          }
          try {
            faults = parseFaultConfig(raw);
          } catch (err) {
            throw new TillError('CONFIG_INVALID', `${opts.faults}: ${(err as Error).message}`, { fix: 'See docs/sandbox.md for the fault file format.' });
          }
        }
        const dir = path.resolve(opts.dataDir ?? path.join(defaultDataDir(), 'sandbox'));
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const sandbox = await startSandbox({
          port,
          dataFile: path.join(dir, 'sandbox.sqlite'),
          demo: opts.demo,
          strictIdentification: opts.strict === true,
          ...(faults ? { faults } : {}),
        });
        process.stdout.write(
          `${JSON.stringify({
            event: 'ready',
            dintero: sandbox.dinteroUrl,
            loyalty: sandbox.loyaltyUrl,
            accountId: sandbox.accountId,
            clientId: sandbox.clientId,
            clientSecret: sandbox.clientSecret,
            apiKey: sandbox.apiKey,
          })}\n`,
        );
        const stop = (): void => {
          void sandbox.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        reportFailure(err);
      }
    });
}

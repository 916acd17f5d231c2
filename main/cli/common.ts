import path from 'node:path';
import { Command, Option } from 'commander';
import { readCredentials } from '../agent/credentials';
import { ownerOnlyFile } from '../agent/secret-store';
import { loadConfig, type LoadedConfig } from '../config';
import { TillError } from '../core/errors';

export type CommonOptions = { dataDir?: string; config?: string };

/** Every command takes --data-dir and --config, so support can point any command at any till's files. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--data-dir <dir>', 'data directory (database, logs, token); default: the OS per-user data folder or TILL_DATA_DIR'))
    .addOption(new Option('--config <file>', 'config file; default: <data-dir>/till-agent.config.json (none: demo till)'));
}

export function loadFromOptions(opts: CommonOptions): LoadedConfig {
  // Credentials the desktop app sealed in the OS key store cannot be opened here: reading them gives the clear
  // "start it with the desktop app" error instead of a bare "clientSecret is required".
  return loadConfig({ configFile: opts.config, dataDir: opts.dataDir, storedSecrets: (dir) => readCredentials(dir, ownerOnlyFile) });
}

/** Where the built renderer sits relative to the bundled CLI (dist/main/cli.cjs -> dist/renderer). */
export function defaultRendererDir(): string {
  return path.join(__dirname, '..', 'renderer');
}

/**
 * Prints a failure as one paragraph a person can act on and sets a non-zero exit code. Unexpected errors
 * keep their stack, since they are bugs to report.
 */
export function reportFailure(err: unknown, exitCode = 1): void {
  if (err instanceof TillError) {
    process.stderr.write(`till-agent: ${err.message}${err.fix ? `\n${err.fix}` : ''}\n`);
  } else {
    process.stderr.write(`till-agent: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exitCode = exitCode;
}

export function newCommand(name: string, description: string): Command {
  return withCommonOptions(new Command(name).description(description));
}

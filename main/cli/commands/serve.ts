import type { Command } from 'commander';
import { startAgent } from '../../agent/start-agent';
import { TillError } from '../../core/errors';
import { type CommonOptions, defaultRendererDir, loadFromOptions, newCommand, reportFailure } from '../common';

type ServeOptions = CommonOptions & { port?: string; rendererDir?: string };

export function serveCommand(): Command {
  return newCommand('serve', 'start the headless agent: local API and screens on 127.0.0.1')
    .option('--port <n>', 'port for the local API (0 = any free port); default: config api.port (7420)')
    .option('--renderer-dir <dir>', 'built screens to serve (default: the bundled ones)')
    .action(async (opts: ServeOptions) => {
      try {
        const port = opts.port === undefined ? undefined : parsePort(opts.port);
        const { config, file } = loadFromOptions(opts);
        const agent = await startAgent({
          config,
          configFile: file,
          port,
          rendererDir: opts.rendererDir ?? defaultRendererDir(),
          prettyLogs: process.stderr.isTTY,
        });
        for (const warning of agent.warnings) process.stderr.write(`till-agent: ${warning}\n`);
        // The one line on stdout: launchers, tests and scripts read it to find the API.
        process.stdout.write(`${JSON.stringify({ event: 'ready', url: agent.url, token: agent.token })}\n`);
        if (process.stderr.isTTY) {
          process.stderr.write(`\nCashier screen: ${agent.url}?token=${agent.token}\nLogs: ${agent.log.dir}\nPress Ctrl+C to stop.\n`);
        }
        const stop = (): void => {
          void agent.close().then(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        reportFailure(err);
      }
    });
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) {
    throw new TillError('CONFIG_INVALID', `--port must be a whole number from 0 to 65535, got "${text}".`, {
      fix: 'Use --port 0 to take any free port.',
    });
  }
  return n;
}

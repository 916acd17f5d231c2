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
        // The one line on stdout: launchers, tests and scripts read it to find the API. `token` reaches every
        // route; `kioskToken` only the kiosk screen's (docs/local-api.md): a kiosk launcher opens its URL.
        process.stdout.write(`${JSON.stringify({ event: 'ready', url: agent.url, token: agent.token, kioskToken: agent.kioskToken })}\n`);
        if (process.stderr.isTTY) process.stderr.write(`\n${screenLinks(config.mode, agent)}Logs: ${agent.log.dir}\nPress Ctrl+C to stop.\n`);
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

/**
 * The links a person starting the agent opens. A kiosk till's customer screen gets the kiosk token, which
 * cannot approve, take cash or reach the back office; staff open the attendant view with the API token.
 */
export function screenLinks(mode: 'cashier' | 'kiosk', agent: { readonly url: string; readonly token: string; readonly kioskToken: string }): string {
  if (mode === 'kiosk') return `Kiosk screen (customers): ${agent.url}?token=${agent.kioskToken}\nAttendant view (staff): ${agent.url}?token=${agent.token}#/attendant\n`;
  return `Cashier screen: ${agent.url}?token=${agent.token}\n`;
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

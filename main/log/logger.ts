import path from 'node:path';
import pino from 'pino';
import type { Redactor } from './redact';
import { RotatingFile } from './rotating-file';

export type Logger = pino.Logger;

export type LoggerOptions = {
  /** Log files go to `<dataDir>/logs/`, rotated by size. */
  readonly dataDir: string;
  readonly level: pino.LevelWithSilent;
  readonly redactor: Redactor;
  /** Also write readable lines to stderr (a person is watching a terminal). */
  readonly pretty: boolean;
  readonly maxFileBytes?: number;
  readonly keepFiles?: number;
};

/** `dir` holds till-agent.log and its rotated predecessors till-agent.1.log (newest) … till-agent.N.log. */
export type LogHandle = { readonly logger: Logger; readonly dir: string; flush(): Promise<void>; close(): Promise<void> };

/**
 * JSON lines to a size-rotated file in the data directory, scrubbed by the redactor before anything is
 * serialised. Everything is in-process and synchronous (no worker thread), so start-up stays fast and a crash
 * loses nothing that was logged.
 */
export async function createLogger(options: LoggerOptions): Promise<LogHandle> {
  const dir = path.join(options.dataDir, 'logs');
  const fileStream = new RotatingFile(path.join(dir, 'till-agent.log'), options.maxFileBytes ?? 10 * 1024 * 1024, options.keepFiles ?? 10);
  const streams: pino.StreamEntry[] = [{ level: options.level === 'silent' ? 'fatal' : options.level, stream: fileStream }];
  if (options.pretty) {
    const { default: pretty } = await import('pino-pretty');
    streams.push({ level: options.level === 'silent' ? 'fatal' : options.level, stream: pretty({ destination: 2, colorize: true }) });
  }
  const redactor = options.redactor;
  const logger = pino(
    {
      level: options.level,
      base: { pid: process.pid },
      formatters: { log: (record) => redactor.scrub(record) as Record<string, unknown> },
      hooks: {
        // Messages are strings built by callers; scrub them too.
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactor.scrubString(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    pino.multistream(streams),
  );
  return {
    logger,
    dir,
    flush: () => {
      fileStream.flush();
      return Promise.resolve();
    },
    close: () => {
      fileStream.close();
      return Promise.resolve();
    },
  };
}

/** A logger that drops everything, for commands and tests that must not write log files. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

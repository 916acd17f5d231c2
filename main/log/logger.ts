import path from 'node:path';
import pino from 'pino';
import type { Redactor } from './redact';

export type Logger = pino.Logger;

export type LoggerOptions = {
  /** Log files go to `<dir>/logs/till-agent.N.log`, rotated by size. */
  readonly dataDir: string;
  readonly level: pino.LevelWithSilent;
  readonly redactor: Redactor;
  /** Also write readable lines to stderr (a person is watching a terminal). */
  readonly pretty: boolean;
  readonly maxFileBytes?: number;
  readonly keepFiles?: number;
};

/** `dir` holds till-agent.N.log files; N grows as files rotate. */
export type LogHandle = { readonly logger: Logger; readonly dir: string; flush(): Promise<void>; close(): Promise<void> };

/**
 * JSON lines to a size-rotated file in the data directory, scrubbed by the redactor before anything is
 * serialised. Streams are in-process (no worker thread) so start-up stays fast and a crash loses at most the
 * last unflushed line.
 */
export async function createLogger(options: LoggerOptions): Promise<LogHandle> {
  const { default: roll } = await import('pino-roll');
  const dir = path.join(options.dataDir, 'logs');
  const file = path.join(dir, 'till-agent.log');
  const fileStream = await roll({
    file,
    size: options.maxFileBytes ?? 10 * 1024 * 1024,
    limit: { count: options.keepFiles ?? 10 },
    mkdir: true,
    // Synchronous writes: a till logs little, and a line written before a crash or SIGKILL is not lost.
    sync: true,
  });
  // The file opens asynchronously; wait, so the first lines and a flush right after start land in it.
  await new Promise<void>((resolve, reject) => {
    fileStream.once('ready', () => resolve());
    fileStream.once('error', (err) => reject(err ?? new Error('the log file could not be opened')));
  });
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
    flush: () =>
      new Promise<void>((resolve) => {
        // A flush error means the disk refused the write; the caller cannot do more than go on.
        fileStream.flush(() => resolve());
      }),
    close: () =>
      new Promise<void>((resolve) => {
        fileStream.once('close', () => resolve());
        fileStream.end();
      }),
  };
}

/** A logger that drops everything, for commands and tests that must not write log files. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

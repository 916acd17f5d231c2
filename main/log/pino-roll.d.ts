// pino-roll ships no types; this is the part of its API (a SonicBoom stream factory) the logger uses.
declare module 'pino-roll' {
  type RollStream = {
    write(chunk: string): boolean;
    flush(cb?: (err?: Error | null) => void): void;
    end(): void;
    once(event: 'ready' | 'close' | 'finish' | 'error', listener: (err?: Error) => void): void;
    readonly file?: string;
  };
  type RollOptions = {
    file: string;
    size?: number | string;
    frequency?: 'daily' | 'hourly' | number;
    mkdir?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    symlink?: boolean;
    sync?: boolean;
  };
  export default function build(options: RollOptions): Promise<RollStream>;
}

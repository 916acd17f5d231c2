/**
 * Splits a serial byte stream into scans. Pure: no timers; the caller says when the line went quiet.
 *
 * Scanners end each code with CR, LF or CRLF, or (cheap ones) with nothing, so the end is when no byte came
 * for a while. Whatever the configured terminator, a CR or LF at the start of a frame is dropped and empty
 * frames are skipped: a scanner set to CRLF on a till configured for CR must not produce a stray "\n" scan.
 */

export type Terminator = 'CR' | 'LF' | 'CRLF' | 'timeout';

const CR = 0x0d;
const LF = 0x0a;

/** Longest frame kept: a line-noise burst without terminator must not grow memory without bound. */
export const MAX_FRAME_BYTES = 4096;

export class FrameSplitter {
  private buffer: number[] = [];

  constructor(readonly terminator: Terminator) {}

  /** Feeds bytes; returns the frames they complete, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (const byte of chunk) {
      if (this.isEnd(byte)) {
        this.emit(frames);
        continue;
      }
      if (this.buffer.length === 0 && (byte === CR || byte === LF)) continue;
      if (this.buffer.length >= MAX_FRAME_BYTES) this.buffer = [];
      this.buffer.push(byte);
    }
    return frames;
  }

  /** The line went quiet (timeout framing) or the port closed: whatever is buffered is one frame, if any. */
  flush(): Uint8Array | undefined {
    const frames: Uint8Array[] = [];
    this.emit(frames);
    return frames[0];
  }

  /** Drops a partial frame, e.g. after an unplug, so half a code is never glued to the next one. */
  discard(): void {
    this.buffer = [];
  }

  get pending(): number {
    return this.buffer.length;
  }

  private isEnd(byte: number): boolean {
    switch (this.terminator) {
      case 'CR':
        return byte === CR;
      case 'LF':
      case 'CRLF':
        // CRLF ends at the LF; the CR before it is trimmed in emit().
        return byte === LF;
      case 'timeout':
        return false;
    }
  }

  private emit(frames: Uint8Array[]): void {
    let end = this.buffer.length;
    while (end > 0 && (this.buffer[end - 1] === CR || this.buffer[end - 1] === LF)) end--;
    if (end > 0) frames.push(Uint8Array.from(this.buffer.slice(0, end)));
    this.buffer = [];
  }
}

const decoder = new TextDecoder('utf-8');

/** Frame bytes to text: UTF-8, which leaves ASCII (and GS, ASCII 29) untouched. */
export function decodeFrame(frame: Uint8Array): string {
  return decoder.decode(frame);
}

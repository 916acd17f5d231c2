import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeFrame, FrameSplitter, MAX_FRAME_BYTES, type Terminator } from '../../../../native/scanners/framing';

const bytes = (s: string) => new TextEncoder().encode(s);
const texts = (frames: Uint8Array[]) => frames.map(decodeFrame);

describe('FrameSplitter', () => {
  it.each<[Terminator, string]>([
    ['CR', '\r'],
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('splits on %s', (terminator, end) => {
    const splitter = new FrameSplitter(terminator);
    expect(texts(splitter.push(bytes(`4006381333931${end}96385074${end}`)))).toEqual(['4006381333931', '96385074']);
    expect(splitter.pending).toBe(0);
  });

  it('keeps a partial frame across chunks and never emits it twice', () => {
    const splitter = new FrameSplitter('CR');
    expect(splitter.push(bytes('40063'))).toEqual([]);
    expect(texts(splitter.push(bytes('81333931\r12')))).toEqual(['4006381333931']);
    expect(texts(splitter.push(bytes('34\r')))).toEqual(['1234']);
  });

  it('drops stray CR/LF and empty frames when the scanner sends CRLF to a CR till', () => {
    const splitter = new FrameSplitter('CR');
    expect(texts(splitter.push(bytes('111\r\n222\r\n\r\r')))).toEqual(['111', '222']);
  });

  it('keeps GS (ASCII 29) inside a frame', () => {
    const splitter = new FrameSplitter('LF');
    expect(texts(splitter.push(bytes(']C10109506000134352\u001d10ABC\n')))).toEqual([']C10109506000134352\u001d10ABC']);
  });

  it('frames by silence in timeout mode: flush ends the frame', () => {
    const splitter = new FrameSplitter('timeout');
    expect(splitter.push(bytes('4006381'))).toEqual([]);
    expect(splitter.push(bytes('333931'))).toEqual([]);
    expect(decodeFrame(splitter.flush() as Uint8Array)).toBe('4006381333931');
    expect(splitter.flush()).toBeUndefined();
  });

  it('discard drops half a code', () => {
    const splitter = new FrameSplitter('CR');
    splitter.push(bytes('40063'));
    splitter.discard();
    expect(texts(splitter.push(bytes('1234\r')))).toEqual(['1234']);
  });

  it('bounds a frame that never ends', () => {
    const splitter = new FrameSplitter('CR');
    splitter.push(new Uint8Array(MAX_FRAME_BYTES * 2 + 10).fill(0x41));
    expect(splitter.pending).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('any chunking of the stream gives the same frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[0-9A-Z]{1,20}$/), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        (codes, cuts) => {
          const stream = bytes(codes.map((c) => `${c}\r\n`).join(''));
          const splitter = new FrameSplitter('CRLF');
          const out: string[] = [];
          let at = 0;
          for (let i = 0; at < stream.length; i++) {
            const size = cuts[i % cuts.length] as number;
            out.push(...texts(splitter.push(stream.subarray(at, at + size))));
            at += size;
          }
          expect(out).toEqual(codes);
        },
      ),
      { seed: 20261123 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../../native/scanners/framing';
import { encodeHidPosReports, HidPosAssembler, parseHidPosReport } from '../../../../native/scanners/hid-pos-report';

/** A 64-byte report as a Honeywell scanner in HID POS mode sends it. */
function sample(data: string, aim: string, more = false): Uint8Array {
  const report = new Uint8Array(64);
  report[0] = 0x02;
  report[1] = data.length;
  report.set([...aim].map((c) => c.charCodeAt(0)), 2);
  report.set([...data].map((c) => c.charCodeAt(0)), 5);
  report[61] = 0x64; // vendor code id ('d' = EAN-13 on Honeywell), ignored
  report[63] = more ? 1 : 0;
  return report;
}

describe('parseHidPosReport', () => {
  it('reads symbology and data from a sample report', () => {
    const report = parseHidPosReport(sample('4006381333931', ']E0'));
    expect(report).toMatchObject({ symbology: ']E0', more: false });
    if ('error' in report) throw new Error(report.error);
    expect(decodeFrame(report.data)).toBe('4006381333931');
  });

  it('accepts a symbology without the "]" and a report without one', () => {
    expect(parseHidPosReport(sample('123', 'C1'))).toMatchObject({ symbology: ']C1' });
    expect(parseHidPosReport(sample('123', '\0\0\0'))).toMatchObject({ symbology: undefined });
  });

  it('rejects other reports and impossible lengths', () => {
    const other = sample('123', ']E0');
    other[0] = 0x04;
    expect(parseHidPosReport(other)).toHaveProperty('error');
    const long = sample('123', ']E0');
    long[1] = 57;
    expect(parseHidPosReport(long)).toHaveProperty('error');
    expect(parseHidPosReport(new Uint8Array([2, 1]))).toHaveProperty('error');
  });

  it('joins a code spread over several reports', () => {
    const text = `]d2${'0109506000134352'}\u001d10${'L'.repeat(70)}`;
    const reports = encodeHidPosReports(new TextEncoder().encode(text), ']d2');
    expect(reports.length).toBe(2);
    const assembler = new HidPosAssembler();
    const results = reports.map((r) => {
      const parsed = parseHidPosReport(r);
      if ('error' in parsed) throw new Error(parsed.error);
      return assembler.push(parsed);
    });
    expect(results[0]).toBeUndefined();
    expect(decodeFrame(results[1]?.data as Uint8Array)).toBe(text);
    expect(results[1]?.symbology).toBe(']d2');
  });

  it('continuation flag from a hand-made sample', () => {
    const assembler = new HidPosAssembler();
    const first = parseHidPosReport(sample('A'.repeat(56), ']C1', true));
    const second = parseHidPosReport(sample('BC', ']C1'));
    if ('error' in first || 'error' in second) throw new Error('bad sample');
    expect(assembler.push(first)).toBeUndefined();
    expect(decodeFrame(assembler.push(second)?.data as Uint8Array)).toBe(`${'A'.repeat(56)}BC`);
  });
});

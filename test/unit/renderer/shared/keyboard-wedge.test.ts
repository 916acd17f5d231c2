import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyboardWedgeDetector, wedgeConfigFrom, type WedgeOutput, type WedgeTarget } from '../../../../renderer/shared/keyboard-wedge';

/** Feeds keys `gap` ms apart starting at `start`; returns every output. */
function feed(d: KeyboardWedgeDetector, keys: readonly string[], start: number, gap: number, target: WedgeTarget = 'other'): WedgeOutput[] {
  return keys.map((key, i) => d.key(key, start + i * gap, target));
}

const chars = (s: string) => [...s];

/** What the focused element ends up receiving, applying the decisions as the UI would. */
function delivered(outputs: readonly WedgeOutput[], keys: readonly string[]): string[] {
  const got: string[] = [];
  outputs.forEach((o, i) => {
    got.push(...o.replay);
    if (o.key === 'pass') got.push(keys[i] as string);
  });
  return got;
}

describe('keyboard wedge detection', () => {
  it('recognises a fast burst ending in Enter as a scan and holds every key back', () => {
    const d = new KeyboardWedgeDetector();
    const keys = [...chars('4006381333931'), 'Enter'];
    const outputs = feed(d, keys, 1000, 8);
    expect(outputs.every((o) => o.key === 'swallow' && o.replay.length === 0)).toBe(true);
    expect(outputs.at(-1)?.scan).toEqual({ code: '4006381333931', typedIntoInput: 0 });
    expect(d.deadline()).toBeUndefined();
  });

  it('releases slow typing for replay, in order, and lets Enter through', () => {
    const d = new KeyboardWedgeDetector();
    const keys = [...chars('12345678'), 'Enter'];
    const outputs = feed(d, keys, 0, 120);
    expect(outputs.some((o) => o.scan !== undefined)).toBe(false);
    expect(delivered(outputs, keys)).toEqual(keys);
  });

  it('a quiet deadline releases a held burst that never got its Enter', () => {
    const d = new KeyboardWedgeDetector();
    feed(d, chars('ab'), 0, 5);
    const deadline = d.deadline() as number;
    expect(deadline).toBe(5 + 30 + 1);
    expect(d.tick(deadline - 2).replay).toEqual([]);
    expect(d.tick(deadline).replay).toEqual(['a', 'b']);
    expect(d.deadline()).toBeUndefined();
  });

  it('a fast burst shorter than minLength is typing (e.g. a hotkey pair)', () => {
    const d = new KeyboardWedgeDetector({ minLength: 6 });
    const keys = [...chars('12'), 'Enter'];
    const outputs = feed(d, keys, 0, 5);
    expect(outputs.at(-1)?.scan).toBeUndefined();
    expect(delivered(outputs, keys)).toEqual(keys);
  });

  it('never holds keys in a text input, but still reports a scan typed into it', () => {
    const d = new KeyboardWedgeDetector();
    const keys = [...chars('96385074'), 'Enter'];
    const outputs = feed(d, keys, 0, 6, 'text-input');
    expect(outputs.slice(0, -1).every((o) => o.key === 'pass')).toBe(true);
    expect(outputs.at(-1)).toEqual({ key: 'swallow', replay: [], scan: { code: '96385074', typedIntoInput: 8 } });
  });

  it('a cashier typing into a text input keeps every keystroke, Enter included', () => {
    const d = new KeyboardWedgeDetector();
    const keys = [...chars('Olsen 12'), 'Enter'];
    const outputs = feed(d, keys, 0, 90, 'text-input');
    expect(outputs.every((o) => o.key === 'pass' && o.replay.length === 0 && o.scan === undefined)).toBe(true);
  });

  it('a slow key in the middle splits: the held part is replayed and detection restarts', () => {
    const d = new KeyboardWedgeDetector();
    const first = feed(d, chars('xy'), 0, 5);
    const second = feed(d, [...chars('4006381333931'), 'Enter'], 500, 5);
    expect(first.every((o) => o.key === 'swallow')).toBe(true);
    expect(second[0]?.replay).toEqual(['x', 'y']);
    expect(second.at(-1)?.scan?.code).toBe('4006381333931');
  });

  it('ignores Shift between characters, as scanners send it for capitals', () => {
    const d = new KeyboardWedgeDetector();
    const keys = ['Shift', 'A', 'B', 'Shift', 'C', '1', '2', '3', 'Enter'];
    const outputs = feed(d, keys, 0, 4);
    expect(outputs.at(-1)?.scan?.code).toBe('ABC123');
  });

  it('Backspace or arrows mean a person: held keys are released and the key passes', () => {
    const d = new KeyboardWedgeDetector();
    const outputs = feed(d, ['1', '2', 'Backspace'], 0, 5);
    expect(outputs[2]).toEqual({ key: 'pass', replay: ['1', '2'], scan: undefined });
  });

  it('with a prefix key, captures a scan even in a text input and regardless of timing', () => {
    const d = new KeyboardWedgeDetector({ prefix: 'F13' });
    const keys = ['F13', ...chars('123'), 'Enter'];
    const outputs = feed(d, keys, 0, 200, 'text-input');
    expect(outputs.every((o) => o.key === 'swallow')).toBe(true);
    expect(outputs.at(-1)?.scan).toEqual({ code: '123', typedIntoInput: 0 });
  });

  it('without a suffix, a burst ends at the deadline as a scan', () => {
    const d = new KeyboardWedgeDetector({ suffix: [] });
    feed(d, chars('036000291452'), 0, 5);
    const output = d.tick(d.deadline() as number);
    expect(output.scan).toEqual({ code: '036000291452', typedIntoInput: 0 });
  });

  it('maps configured group-separator keys to GS for GS1 codes', () => {
    const d = new KeyboardWedgeDetector({ groupSeparatorKeys: ['F8'] });
    const keys = [...chars('0109506000134352'), 'F8', ...chars('10ABC'), 'Enter'];
    expect(feed(d, keys, 0, 3).at(-1)?.scan?.code).toBe('0109506000134352\u001d10ABC');
  });

  it('outside inputs, nothing a person types slowly is ever lost or reordered', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '1', '2', 'Enter', 'Backspace'), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 31, max: 400 }), { minLength: 30, maxLength: 30 }),
        (keys, gaps) => {
          const d = new KeyboardWedgeDetector();
          let at = 0;
          const outputs = keys.map((key, i) => {
            at += gaps[i] as number;
            return d.key(key, at, 'other');
          });
          const flushed = d.tick(at + 1000);
          const got = [...delivered(outputs, keys), ...flushed.replay];
          return JSON.stringify(got) === JSON.stringify(keys) && outputs.every((o) => o.scan === undefined);
        },
      ),
      { seed: 20261123 },
    );
  });

  it('takes the till\'s configured framing: with a prefix, a scan delayed by a loaded machine is still one scan', () => {
    const framing = { prefixKey: 'F13', suffixKeys: ['Tab'], maxInterKeyMs: 30, minLength: 6 };
    const d = new KeyboardWedgeDetector(wedgeConfigFrom(framing));
    // 120 ms between keys: without the prefix this is typing.
    const keys = ['F13', ...chars('7038010069307'), 'Tab'];
    const outputs = feed(d, keys, 1000, 120, 'text-input');
    expect(outputs.every((o) => o.key === 'swallow' && o.replay.length === 0)).toBe(true);
    expect(outputs.at(-1)?.scan).toEqual({ code: '7038010069307', typedIntoInput: 0 });
    // The screen's quiet timer between two late keys does not end a prefixed scan early...
    const late = new KeyboardWedgeDetector(wedgeConfigFrom(framing));
    feed(late, ['F13', ...chars('7038')], 1000, 120);
    expect(late.tick(1000 + 4 * 120 + 500)).toEqual({ key: undefined, replay: [], scan: undefined });
    expect(feed(late, [...chars('010069307'), 'Tab'], 2000, 120).at(-1)?.scan?.code).toBe('7038010069307');
    // ...but a capture whose suffix never comes ends after a second, as the code it read.
    feed(late, ['F13', ...chars('12345')], 5000, 10);
    expect(late.deadline()).toBe(5050 + 1001);
    expect(late.tick(6100).scan?.code).toBe('12345');

    // The same keys without the prefix, as the default framing sees them: typing, nothing held or scanned.
    const plain = new KeyboardWedgeDetector(wedgeConfigFrom({ ...framing, prefixKey: null, suffixKeys: ['Enter'] }));
    const typed = feed(plain, [...chars('7038010069307'), 'Enter'], 1000, 120, 'text-input');
    expect(typed.some((o) => o.scan)).toBe(false);
  });
});

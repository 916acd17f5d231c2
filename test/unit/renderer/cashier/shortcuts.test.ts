import { describe, expect, it } from 'vitest';
import { actionFor, ariaKeys, BANNER_SHORTCUTS, SHORTCUTS } from '../../../../renderer/cashier/shortcuts';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; metaKey: boolean; shiftKey: boolean }> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods });
const idle = { dialogOpen: false, scanText: '' };

describe('cashier shortcuts', () => {
  it('maps every listed function key to its action', () => {
    for (const s of SHORTCUTS.filter((x) => x.key.startsWith('F'))) expect(actionFor(key(s.key), idle)).toBe(s.action);
  });

  it('leaves the keys the browser or shell owns alone', () => {
    for (const k of ['F1', 'F5', 'F11', 'a', '1', 'Enter', 'Tab']) expect(actionFor(key(k), idle)).toBeUndefined();
  });

  it('voids a line with Delete only while the scan field is empty', () => {
    expect(actionFor(key('Delete'), idle)).toBe('voidLine');
    expect(actionFor(key('Delete'), { dialogOpen: false, scanText: '70' })).toBeUndefined();
  });

  it('gives a dialog its keys, except Escape which closes it', () => {
    expect(actionFor(key('F10'), { dialogOpen: true, scanText: '' })).toBeUndefined();
    expect(actionFor(key('ArrowUp'), { dialogOpen: true, scanText: '' })).toBeUndefined();
    expect(actionFor(key('Escape'), { dialogOpen: true, scanText: '' })).toBe('close');
  });

  it('reprints with Ctrl+P (instead of the browser print dialog) and ignores other modified keys', () => {
    expect(actionFor(key('p', { ctrlKey: true }), idle)).toBe('reprint');
    expect(actionFor(key('b', { ctrlKey: true }), idle)).toBe('provisional');
    expect(actionFor(key('g', { ctrlKey: true }), idle)).toBe('giftCard');
    expect(actionFor(key('o', { ctrlKey: true }), idle)).toBe('points');
    expect(actionFor(key('g'), idle)).toBeUndefined();
    expect(actionFor(key('F10', { altKey: true }), idle)).toBeUndefined();
    expect(actionFor(key('c', { ctrlKey: true }), idle)).toBeUndefined();
  });

  it('cancels the sale with Ctrl+Delete only while the scan field is empty, approves with Ctrl+I, clears help with Ctrl+H', () => {
    expect(actionFor(key('Delete', { ctrlKey: true }), idle)).toBe('cancelSale');
    expect(actionFor(key('Delete', { ctrlKey: true }), { dialogOpen: false, scanText: '70' })).toBeUndefined();
    expect(actionFor(key('i', { ctrlKey: true }), idle)).toBe('approve');
    expect(actionFor(key('h', { ctrlKey: true }), idle)).toBe('helpDone');
    expect(actionFor(key('i', { ctrlKey: true }), { dialogOpen: true, scanText: '' })).toBeUndefined();
  });

  it('gives every key a distinct binding and an aria-keyshortcuts value', () => {
    const all = [...SHORTCUTS, ...BANNER_SHORTCUTS];
    expect(new Set(all.map((s) => `${s.ctrl === true}:${s.key.toLowerCase()}`)).size).toBe(all.length);
    expect(ariaKeys('cancelSale')).toBe('Control+Delete');
    expect(ariaKeys('voidLine')).toBe('Delete');
    expect(ariaKeys('approve')).toBe('Control+I');
  });
});

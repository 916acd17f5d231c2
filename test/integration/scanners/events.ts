import type { Disposable } from '../../../native/scanners/scanner-source';

/** Resolves with the first event that satisfies `accept`; the listener is removed afterwards. */
export function nextEvent<T>(subscribe: (listener: (value: T) => void) => Disposable, accept: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const sub = subscribe((value) => {
      if (!accept(value)) return;
      sub.dispose();
      resolve(value);
    });
  });
}

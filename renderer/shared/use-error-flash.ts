import { useEffect, useRef, useState } from 'preact/hooks';
import type { SaleNotice } from '../../main/api/contract';
import { beep } from './beep';

/**
 * Every error notice (also one caused by a hardware scan) beeps and flashes, even the same one twice: notices
 * carry a sequence number, and each new number counts. `signal()` does the same for an error the screen itself
 * met (a failed call). `flash` changes on every signal; use it as a key to restart the flash animation.
 */
export function useErrorFlash(notice: SaleNotice | null | undefined): { flash: number; signal: () => void } {
  const [flash, setFlash] = useState(0);
  const lastSeq = useRef(notice?.seq ?? 0);
  const signal = (): void => {
    beep();
    setFlash((f) => f + 1);
  };
  useEffect(() => {
    if (!notice || notice.seq === lastSeq.current) return;
    lastSeq.current = notice.seq;
    if (notice.level === 'error') signal();
  }, [notice?.seq]);
  return { flash, signal };
}

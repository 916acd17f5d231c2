import { isStatusByte, STATUS_KINDS, STATUS_REQUESTS, decodePrinterStatus, type DrawerPolarity, type PrinterStatus, type StatusBytes } from './printer-status';

/**
 * Bytes the printer sent back, waiting to be read as status answers. Transports push what arrives; the status
 * query takes bytes one at a time with a deadline.
 */
export class ResponseBuffer {
  private readonly bytes: number[] = [];
  private waiter: (() => void) | undefined;

  push(chunk: Uint8Array): void {
    for (const b of chunk) this.bytes.push(b);
    this.waiter?.();
  }

  clear(): void {
    this.bytes.length = 0;
  }

  /** The next byte, or undefined if none arrives within `timeoutMs`. */
  async next(timeoutMs: number): Promise<number | undefined> {
    const ready = this.bytes.shift();
    if (ready !== undefined) return ready;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.waiter = done;
    });
    this.waiter = undefined;
    return this.bytes.shift();
  }
}

/**
 * Sends `DLE EOT 1..4` one at a time and decodes the answers. Bytes that cannot be a status answer (such as
 * automatic status back) are skipped. Undefined when the printer does not answer in time: many printers on
 * a one-way cable, or with status disabled, never answer, and that is "unknown", not "broken".
 */
export async function queryStatus(
  send: (bytes: Uint8Array) => Promise<void>,
  responses: ResponseBuffer,
  timeoutMs: number,
  polarity: DrawerPolarity,
): Promise<PrinterStatus | undefined> {
  responses.clear();
  const answers: Partial<Record<keyof StatusBytes, number>> = {};
  for (const kind of STATUS_KINDS) {
    await send(STATUS_REQUESTS[kind]);
    let answer: number | undefined;
    do answer = await responses.next(timeoutMs);
    while (answer !== undefined && !isStatusByte(answer));
    if (answer === undefined) return undefined;
    answers[kind] = answer;
  }
  const { printer = 0x12, offline = 0x12, error = 0x12, paper = 0x12 } = answers;
  return decodePrinterStatus({ printer, offline, error, paper }, polarity);
}

/** Scanner drivers behind one contract; `createScanner` builds one from configuration. */
export type { Disposable, RawScan, ScannerSource, ScannerStatus, Backoff } from './scanner-source';
export { createScanner, NoScanner, type ScannerConfig } from './create-scanner';
export { SerialScanner, listSerialPorts, describeOpenError, type SerialPortEntry, type SerialScannerOptions } from './serial-scanner';
export { HidScanner, type HidScannerOptions } from './hid-scanner';
export { loadNodeHid, explainLoadFailure, type HidBinding, type HidDeviceHandle, type HidDeviceInfo } from './hid-binding';
export { parseHidPosReport, HidPosAssembler, encodeHidPosReports, HID_POS_USAGE_PAGE } from './hid-pos-report';
export { FrameSplitter, decodeFrame, type Terminator } from './framing';
export { FakeScanner } from './fake-scanner';
export { FakeHidBinding } from './fake-hid-binding';

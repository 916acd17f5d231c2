export { ScanStream, type ScanEvent, type ScanStatusEvent, type ScanStreamOptions } from './scan-stream';

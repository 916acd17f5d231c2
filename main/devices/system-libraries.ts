import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export type LibraryStatus = { readonly present: boolean; readonly detail: string };

const LIBUSB_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/libusb-1.0.so.0',
  '/usr/lib/aarch64-linux-gnu/libusb-1.0.so.0',
  '/usr/lib/arm-linux-gnueabihf/libusb-1.0.so.0',
  '/usr/lib64/libusb-1.0.so.0',
  '/usr/lib/libusb-1.0.so.0',
  '/usr/local/lib/libusb-1.0.so.0',
];

/**
 * Whether libusb-1.0, which node-hid needs for USB scanners on Linux, can be loaded. Windows and macOS use
 * their own HID stacks, so it is not needed there.
 */
export function libusbStatus(platform: NodeJS.Platform = process.platform): LibraryStatus {
  if (platform !== 'linux') return { present: true, detail: `not needed on ${platform}` };
  const found = LIBUSB_CANDIDATES.find((p) => fs.existsSync(p));
  if (found) return { present: true, detail: found };
  try {
    const cache = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    const line = cache.split('\n').find((l) => l.includes('libusb-1.0.so'));
    if (line) return { present: true, detail: line.trim() };
  } catch {
    // ldconfig missing or not allowed: fall through to "absent".
  }
  return { present: false, detail: 'libusb-1.0 not found: USB HID scanners are unavailable (Debian/Ubuntu: apt-get install libusb-1.0-0)' };
}

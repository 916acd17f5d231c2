import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp-dir';

/**
 * A small real filesystem (tmpfs) to run the till out of disk space. Mounting needs root (or CAP_SYS_ADMIN);
 * `smallDiskUnavailable()` says why a machine cannot, so a test can skip with the reason instead of passing.
 */
export type SmallDisk = {
  readonly dir: string;
  /** Writes a filler file until the filesystem refuses one more byte. */
  fill(): void;
  /** Removes the filler: the disk has room again. */
  free(): void;
  unmount(): void;
};

let probed: string | undefined | null = null;

export function smallDiskUnavailable(): string | undefined {
  if (probed !== null) return probed;
  if (process.platform !== 'linux') probed = 'tmpfs mounts need Linux';
  else if (process.getuid?.() !== 0) probed = 'mounting a small tmpfs needs root; run the storage-fault tests as root (CI does)';
  else {
    try {
      const disk = mountSmallDisk(1);
      disk.unmount();
      probed = undefined;
    } catch (err) {
      probed = `cannot mount a tmpfs here: ${(err as Error).message.split('\n')[0] ?? ''}`;
    }
  }
  return probed;
}

export function mountSmallDisk(megabytes: number): SmallDisk {
  const dir = path.join(tempDir('till-small-disk-'), 'mnt');
  fs.mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  const filler = path.join(dir, 'filler');
  let mounted = true;
  return {
    dir,
    fill() {
      const fd = fs.openSync(filler, 'a');
      try {
        for (const size of [1 << 20, 64 << 10, 4 << 10, 512, 1]) {
          const chunk = Buffer.alloc(size, 0x2e);
          for (;;) {
            try {
              fs.writeSync(fd, chunk);
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw err;
            }
          }
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    free() {
      fs.rmSync(filler, { force: true });
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      // Lazy: a child process killed a moment ago may still hold a file open.
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
    },
  };
}

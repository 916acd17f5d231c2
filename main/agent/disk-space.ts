import fs from 'node:fs';

/** Below this much free space a sale's commit may be refused (DB_FULL): the agent says so at start. */
export const DISK_NEARLY_FULL_BYTES = 1024 * 1024;

export type DiskSpace = { readonly freeBytes: number; readonly totalBytes: number };

/** Free space for this user on the file system holding `dir`, or undefined where statfs is not available. */
export function diskSpace(dir: string): DiskSpace | undefined {
  try {
    const s = fs.statfsSync(dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    return undefined;
  }
}

/**
 * The start-up message for a disk too full to sell on, or undefined. The agent starts anyway: it serves the
 * screens, shows the status and every committed sale, and refuses new writes with DB_FULL until there is room.
 */
export function diskFullWarning(dir: string, space: DiskSpace | undefined = diskSpace(dir)): string | undefined {
  if (!space || space.freeBytes >= DISK_NEARLY_FULL_BYTES) return undefined;
  return `The disk holding ${dir} is full (${Math.floor(space.freeBytes / 1024)} KB free): sales and scans will be refused (DB_FULL) until space is freed. Every committed sale is safe.`;
}

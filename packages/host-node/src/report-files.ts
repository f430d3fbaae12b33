import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A report file found on disk. */
export interface ReportFile {
  name: string;
  path: string;
  bytes: number;
}

/**
 * Lists the files in `directory` whose names start with `prefix` (the reports a run left behind), sorted by
 * name; an absent directory gives an empty list. Adapters log it so users see which artifacts exist.
 */
export async function listReportFiles(directory: string, prefix = 'insightappsec-scan'): Promise<ReportFile[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const files: ReportFile[] = [];
  for (const name of names.filter((n) => n.startsWith(prefix)).sort()) {
    const path = join(directory, name);
    try {
      const info = await stat(path);
      if (info.isFile()) files.push({ name, path, bytes: info.size });
    } catch {
      // Removed between the listing and the stat: not there.
    }
  }
  return files;
}

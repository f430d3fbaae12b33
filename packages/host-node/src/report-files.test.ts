import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listReportFiles } from './report-files';

describe('listReportFiles', () => {
  it('lists the report files by name with their sizes, and nothing for a missing folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ias-reports-'));
    try {
      await writeFile(join(dir, 'insightappsec-scan-metrics.json'), '{}');
      await writeFile(join(dir, 'insightappsec-scan-findings.json'), '[]\n');
      await writeFile(join(dir, 'other.txt'), 'x');
      await mkdir(join(dir, 'insightappsec-scan-folder'));
      expect(await listReportFiles(dir)).toEqual([
        { name: 'insightappsec-scan-findings.json', path: join(dir, 'insightappsec-scan-findings.json'), bytes: 3 },
        { name: 'insightappsec-scan-metrics.json', path: join(dir, 'insightappsec-scan-metrics.json'), bytes: 2 },
      ]);
      expect(await listReportFiles(join(dir, 'absent'))).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

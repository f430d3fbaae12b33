import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileReportSink, createFileSpool } from './file-sink';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function scratch(): string {
  const folder = mkdtempSync(join(tmpdir(), 'ias-sink-test-'));
  folders.push(folder);
  return folder;
}

describe('file sink spool', () => {
  it('reads chunks back in any order, multi-byte text included, and deletes its file on close', async () => {
    const parent = scratch();
    const spool = await createFileSpool(parent);
    const texts = ['<a/>', 'é ✓ 𝒳 snowman ☃', '', 'x'.repeat(200_000), 'end'];
    const indexes: number[] = [];
    indexes.push(await spool.append(texts.slice(0, 2)), await spool.append([]), await spool.append(texts.slice(2)));
    expect(indexes).toEqual([0, 2, 2]);
    expect(await spool.read(3)).toBe(texts[3]);
    expect(await spool.read(1)).toBe(texts[1]);
    expect(await spool.read(0)).toBe(texts[0]);
    expect(await spool.read(2)).toBe('');
    await expect(spool.read(9)).rejects.toThrow(RangeError);
    expect(readdirSync(parent)).toHaveLength(1);
    await spool.close();
    await spool.close();
    expect(readdirSync(parent)).toHaveLength(0);
  });

  it('is offered by the file sink', async () => {
    const sink = createFileReportSink(scratch());
    expect(sink.createSpool).toBeTypeOf('function');
    const spool = await sink.createSpool!();
    expect(await spool.read(await spool.append(['hello']))).toBe('hello');
    await spool.close();
  });

  it('writes report files', async () => {
    const dir = scratch();
    const writer = await createFileReportSink(join(dir, 'out')).create('a.txt');
    await writer.write('one ');
    await writer.write('two');
    await writer.close();
    expect(existsSync(join(dir, 'out', 'a.txt'))).toBe(true);
  });
});

describe('file sink preparation', () => {
  it('creates the folder, and rejects a destination below a file before anything is written', async () => {
    const base = mkdtempSync(join(tmpdir(), 'ias-prepare-'));
    folders.push(base);
    await createFileReportSink(join(base, 'new', 'reports')).prepare?.();
    expect(existsSync(join(base, 'new', 'reports'))).toBe(true);
    writeFileSync(join(base, 'a-file.txt'), 'x');
    await expect(createFileReportSink(join(base, 'a-file.txt', 'reports')).prepare?.()).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('file sink reports: complete or absent', () => {
  it('a report appears under its name only once closed; before that, nothing by that name exists', async () => {
    const folder = scratch();
    const sink = createFileReportSink(folder);
    const writer = await sink.create('insightappsec-scan.sarif');
    await writer.write('{"runs":');
    expect(existsSync(join(folder, 'insightappsec-scan.sarif'))).toBe(false);
    await writer.write('[]}');
    await writer.close();
    expect(readdirSync(folder)).toEqual(['insightappsec-scan.sarif']);
  });

  it('discard (an interrupted run) deletes the unfinished reports (and the older files they were replacing) and keeps the finished ones', async () => {
    const folder = scratch();
    writeFileSync(join(folder, 'insightappsec-scan-junit.xml'), '<old/>');
    writeFileSync(join(folder, 'other.txt'), 'kept');
    const sink = createFileReportSink(folder);
    const done = await sink.create('insightappsec-scan-metrics.json');
    await done.write('{}');
    await done.close();
    const sarif = await sink.create('insightappsec-scan.sarif');
    await sarif.write('{"runs":[');
    const junit = await sink.create('insightappsec-scan-junit.xml');
    await junit.write('<testsuites');
    await sink.discard!();
    expect(readdirSync(folder).sort()).toEqual(['insightappsec-scan-metrics.json', 'other.txt']);
    expect(readFileSync(join(folder, 'other.txt'), 'utf8')).toBe('kept');
  });
});

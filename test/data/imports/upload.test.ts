/**
 * A large file's multipart upload, as the import use cases see it: parts planned from the size, the
 * upload id kept on the import, completion refused with a part missing or a wrong ETag (writing
 * nothing), accepted once every part is there, and again after that.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeUpload, createImport, previewImport } from '#imports/imports.js';
import { DomainError } from '#platform/errors.js';
import { MIN_PART_BYTES, uploadPlan } from '#platform/files.js';
import { createTestTable } from '#test/support/dynamo.js';
import { memoryFiles } from '#test/support/imports.js';

const code = (c: string) => (e: unknown) => e instanceof DomainError && e.code === c;

describe('multipart uploads of import files', () => {
  it('plans parts of 5 MB (at most 100), and one PUT up to 10 MB', () => {
    assert.deepEqual(uploadPlan(10 * 1024 * 1024), { parts: 1 });
    assert.deepEqual(uploadPlan(10 * 1024 * 1024 + 1), { parts: 3, partSize: MIN_PART_BYTES });
    const big = uploadPlan(512 * 1024 * 1024);
    assert.ok('partSize' in big && big.parts <= 100 && big.parts * big.partSize >= 512 * 1024 * 1024);
  });

  it('assembles the file from every part with its ETag, refusing a part missing or a wrong ETag', async () => {
    const t = await createTestTable();
    const files = memoryFiles();
    const file = Buffer.from(`email\n${'a@example.com\n'.repeat(900_000)}`);
    const { import: record, upload } = await createImport(t.deps, files, {
      fileName: 'big.csv',
      size: file.length,
    });
    assert.equal(upload.method, 'multipart');
    if (upload.method !== 'multipart') return;
    assert.equal(record.uploadId, upload.uploadId);
    assert.equal((await t.deps.store.getImport(record.id))?.uploadId, upload.uploadId);
    const parts = upload.parts.map(({ number }) => ({
      number,
      etag: files.putPart(
        upload.uploadId,
        number,
        file.subarray((number - 1) * upload.partSize, number * upload.partSize),
      ),
    }));
    await assert.rejects(completeUpload(t.deps, files, record.id, parts.slice(1)), code('parts_missing'));
    await assert.rejects(
      completeUpload(t.deps, files, record.id, [...parts, { number: parts.length + 1, etag: 'x' }]),
      code('parts_missing'),
    );
    await assert.rejects(
      completeUpload(t.deps, files, record.id, [
        { ...(parts[0] as { number: number; etag: string }), etag: '"x"' },
        ...parts.slice(1),
      ]),
      code('parts_refused'),
    );
    await assert.rejects(previewImport(t.deps, files, record.id), code('not_uploaded'));
    await completeUpload(t.deps, files, record.id, [...parts].reverse());
    const stored = files.objects.get(`imports/${record.id}.csv`) ?? new Uint8Array();
    assert.ok(Buffer.from(stored).equals(file), 'the parts in order: the file as it was');
    await completeUpload(t.deps, files, record.id, parts);
    assert.deepEqual((await previewImport(t.deps, files, record.id)).header, ['email']);

    // Not text (an image renamed .csv): refused at the preview with the reason.
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const image = await createImport(t.deps, files, { fileName: 'photo.csv', size: png.length });
    await files.put(`imports/${image.import.id}.csv`, png, 'text/csv');
    await assert.rejects(previewImport(t.deps, files, image.import.id), code('not_csv'));

    const small = await createImport(t.deps, files, { fileName: 's.csv', size: 20 });
    assert.equal(small.upload.method, 'PUT');
    await assert.rejects(completeUpload(t.deps, files, small.import.id, parts), code('not_multipart'));
  });
});

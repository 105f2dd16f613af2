import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateFormBody } from '#capture/routes.js';

const base = {
  name: 'Contact support',
  fields: ['email', 'topic', { name: 'details', type: 'textarea' }, { name: 'seats', type: 'number' }],
};

/** The problems a body has, as `path: message`. */
function problems(body: unknown): string[] {
  const parsed = CreateFormBody.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('support form settings', () => {
  it('accepts a text subject field and a textarea message field, priority normal by default', () => {
    const parsed = CreateFormBody.parse({
      ...base,
      case: { subjectField: 'topic', messageField: 'details' },
    });
    assert.deepEqual(parsed.case, { subjectField: 'topic', messageField: 'details', priority: 'normal' });
    assert.equal(parsed.fields.find((f) => f.name === 'details')?.type, 'textarea');
  });

  it('refuses a field the form does not have, at its key', () => {
    assert.deepEqual(problems({ ...base, case: { subjectField: 'subject', messageField: 'details' } }), [
      'case.subjectField: must be a field of the form: subject is not one',
    ]);
    assert.deepEqual(problems({ ...base, case: { subjectField: 'topic', messageField: 'body' } }), [
      'case.messageField: must be a field of the form: body is not one',
    ]);
  });

  it('wants the message in a textarea and the subject in a text field', () => {
    assert.deepEqual(problems({ ...base, case: { subjectField: 'topic', messageField: 'topic' } }), [
      'case.messageField: must be a textarea field: topic is text',
    ]);
    assert.deepEqual(problems({ ...base, case: { subjectField: 'seats', messageField: 'details' } }), [
      'case.subjectField: must be a text field: seats is number',
    ]);
    assert.deepEqual(problems({ ...base, case: { subjectField: 'email', messageField: 'details' } }), [
      'case.subjectField: must be a text field: email is email',
    ]);
  });

  it('refuses an unknown priority and unknown keys', () => {
    assert.equal(
      problems({ ...base, case: { subjectField: 'topic', messageField: 'details', priority: 'asap' } })
        .length,
      1,
    );
    assert.equal(
      problems({ ...base, case: { subjectField: 'topic', messageField: 'details', queue: 'x' } }).length,
      1,
    );
  });
});

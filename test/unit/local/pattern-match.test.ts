import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesPattern, matchesWildcard, type Pattern } from '#platform/pattern-match.js';

// The example event and patterns follow the EventBridge user guide ("Event patterns", "Content filtering").
const event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    responseElements: null,
    tags: ['prod', 'web'],
    nested: { level: 'deep' },
  },
};

const cases: Array<[string, Pattern, boolean]> = [
  ['exact source', { source: ['aws.ec2'] }, true],
  ['one of several values', { source: ['aws.s3', 'aws.ec2'] }, true],
  ['wrong value', { source: ['aws.s3'] }, false],
  ['nested exact', { detail: { state: ['terminated'] } }, true],
  ['all fields must match', { source: ['aws.ec2'], detail: { state: ['running'] } }, false],
  ['prefix', { time: [{ prefix: '2017-12-22' }] }, true],
  ['prefix miss', { time: [{ prefix: '2018' }] }, false],
  ['prefix ignoring case', { source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }, true],
  ['suffix', { detail: { 'instance-id': [{ suffix: 'def0' }] } }, true],
  [
    'equals-ignore-case',
    { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] },
    true,
  ],
  ['anything-but value', { detail: { state: [{ 'anything-but': 'initializing' }] } }, true],
  ['anything-but same value', { detail: { state: [{ 'anything-but': 'terminated' }] } }, false],
  ['anything-but list', { detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }, false],
  ['anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, true],
  ['anything-but on a missing field', { detail: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['numeric range', { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric range miss', { detail: { 'd-count': [{ numeric: ['<', 3] }] } }, false],
  ['numeric equals', { detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }, true],
  ['numeric against a string', { detail: { state: [{ numeric: ['>', 0] }] } }, false],
  ['exists true', { detail: { 'c-count': [{ exists: true }] } }, true],
  ['exists false on a present field', { detail: { 'c-count': [{ exists: false }] } }, false],
  ['exists false on a missing field', { detail: { 'no-such': [{ exists: false }] } }, true],
  ['exists false under a missing parent', { nothing: { here: [{ exists: false }] } }, true],
  ['exists true on an object is false', { detail: { nested: [{ exists: true }] } }, false],
  ['null value', { detail: { responseElements: [null] } }, true],
  ['null does not match missing', { detail: { absent: [null] } }, false],
  ['array value: any element', { detail: { tags: ['web'] } }, true],
  ['array value: none match', { detail: { tags: ['dev'] } }, false],
  ['array field of resources with wildcard', { resources: [{ wildcard: 'arn:aws:ec2:*:instance/*' }] }, true],
  ['wildcard miss', { resources: [{ wildcard: 'arn:aws:s3:*' }] }, false],
  [
    '$or one branch',
    { detail: { $or: [{ state: ['running'] }, { 'c-count': [{ numeric: ['>', 4] }] }] } },
    true,
  ],
  [
    '$or no branch',
    { detail: { $or: [{ state: ['running'] }, { 'c-count': [{ numeric: ['>', 9] }] }] } },
    false,
  ],
  ['deep nesting', { detail: { nested: { level: ['deep'] } } }, true],
];

describe('EventBridge pattern matching', () => {
  for (const [name, pattern, expected] of cases) {
    it(name, () => assert.equal(matchesPattern(pattern, event), expected));
  }

  it('matches DynamoDB stream records with the outbox filter shape', () => {
    const filter = { eventName: ['INSERT'], dynamodb: { Keys: { PK: { S: [{ prefix: 'OUTBOX#' }] } } } };
    assert.equal(
      matchesPattern(filter, { eventName: 'INSERT', dynamodb: { Keys: { PK: { S: 'OUTBOX#1' } } } }),
      true,
    );
    assert.equal(
      matchesPattern(filter, { eventName: 'REMOVE', dynamodb: { Keys: { PK: { S: 'OUTBOX#1' } } } }),
      false,
    );
    assert.equal(
      matchesPattern(filter, { eventName: 'INSERT', dynamodb: { Keys: { PK: { S: 'CONTACT#1' } } } }),
      false,
    );
  });

  it('matches wildcards as EventBridge does, without backtracking on many stars', { timeout: 60_000 }, () => {
    for (const [pattern, value, expected] of [
      ['a*c', 'abbbc', true],
      ['a*c', 'abbbd', false],
      ['*', '', true],
      ['a**b', 'ab', true],
      ['*.example.com', 'www.example.com', true],
      ['a*b*c', 'acb', false],
      ['', '', true],
      ['x', '', false],
    ] as const)
      assert.equal(matchesWildcard(pattern, value), expected, `${pattern} ~ ${value}`);
    // A regex of `.*a` repeated backtracks for hours here (the test's time limit stops it).
    assert.equal(matchesWildcard(`${'*a'.repeat(40)}*b`, 'a'.repeat(5_000)), false);
  });
});

// Errors never show zod's own phrasing ("Invalid input: expected number, received NaN"): each
// kind of issue is said in plain words, and a message a schema wrote for people is kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { describeIssue, describeIssueAt } from '../../src/core/zod-issues.ts';

const first = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  assert.equal(r.success, false);
  return r.error!.issues[0]!;
};

describe('describeIssue', () => {
  it('says each kind of problem plainly', () => {
    const cases: [z.ZodType, unknown, string][] = [
      [z.coerce.number().int().positive(), 'abc', 'a number is needed'],
      [z.coerce.number().int().positive(), '0', 'must be more than 0'],
      [z.number().int(), 1.5, 'a whole number'],
      [z.number().max(10), 11, 'must be at most 10'],
      [z.enum(['a', 'b']), 'c', 'choose one of a, b'],
      [z.string().min(1), '', 'must not be empty'],
      [z.array(z.string()).min(1), [], 'give at least one'],
      [z.string(), 3, 'a string is needed'],
      [z.array(z.string()), 3, 'an array is needed'],
      [z.strictObject({ a: z.string() }), { a: 'x', b: 1 }, 'unknown field b'],
      [z.email(), 'nope', 'not a valid email'],
    ];
    for (const [schema, value, want] of cases) assert.equal(describeIssue(first(schema, value)), want);
  });

  it('keeps a message written for people, and names where in the data', () => {
    const schema = z.object({ audio: z.string().min(1, 'audio is empty') });
    assert.equal(describeIssueAt(first(schema, { audio: '' })), 'audio: audio is empty');
    assert.equal(describeIssueAt(first(z.object({ n: z.number() }), { n: 'x' })), 'n: a number is needed');
    assert.equal(describeIssueAt(first(z.number(), 'x'), '(row)'), '(row): a number is needed');
  });

  it('never lets zod phrasing through for the common kinds', () => {
    for (const [schema, value] of [
      [z.number(), Number.NaN],
      [z.object({ a: z.boolean() }), { a: 'yes' }],
      [z.literal('x'), 'y'],
    ] as [z.ZodType, unknown][]) {
      const text = describeIssue(first(schema, value));
      assert.doesNotMatch(text, /Invalid input|received|NaN/, text);
    }
  });
});

/** A zod issue in plain words for people (never zod's own phrasing, never "got NaN"). */
import type { z } from 'zod';

export function describeIssue(issue: z.core.$ZodIssue): string {
  // a message a schema wrote for people ("audio is empty") is kept; zod's own phrasing is not
  if (!ZOD_PHRASING.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_value':
      return `choose one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'array') return issue.minimum === 1 ? 'give at least one' : `give at least ${String(issue.minimum)}`;
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${String(issue.minimum)} characters`;
      return issue.inclusive === false ? `must be more than ${String(issue.minimum)}` : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'array') return `give at most ${String(issue.maximum)}`;
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters`;
      return issue.inclusive === false ? `must be less than ${String(issue.maximum)}` : `must be at most ${String(issue.maximum)}`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'a whole number';
      if (issue.expected === 'nan' || issue.expected === 'number') return 'a number is needed';
      return `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected} is needed`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    case 'invalid_format':
      return `not a valid ${issue.format === 'regex' ? 'value' : issue.format}`;
    case 'invalid_union':
      return 'not in any of the accepted forms';
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** zod's default messages: "Invalid input: expected string…", "Too small: …", "Unrecognized key…" */
const ZOD_PHRASING = /^(Invalid|Too (small|big)|Unrecognized key|Expected|Number must|String must|Array must|Required$)/;

/** "field.path: what was wrong", for a row or a file: where in the data and what it needs. */
export function describeIssueAt(issue: z.core.$ZodIssue, top = '(top)'): string {
  return `${issue.path.map(String).join('.') || top}: ${describeIssue(issue)}`;
}

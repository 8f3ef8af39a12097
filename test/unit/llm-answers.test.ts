// Reading what models really answer: palettes, energy scales, key spellings, missing fields.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { energyScale, readEnergy, readPromptsAnswer, readScenesAnswer, seconds, snakeKey } from '../../src/providers/llm/answers.ts';
import { completeItems } from '../../src/providers/llm/json-answer.ts';
import { colourFromName, salvagePalette } from '../../src/providers/llm/palette.ts';
import { acceptsImages } from '../../src/providers/llm/vision.ts';
import { dropNegativeClauses, intensityFor, tidyMotionPrompt } from '../../src/providers/motion-guidance.ts';

describe('palette salvage', () => {
  const cases: [string, unknown, string[] | null][] = [
    ['a proper array', ['#1b1f3a', '#C04A8C'], ['#1b1f3a', '#c04a8c']],
    ['one string of codes', '#0B1026, #FF2E88, #00E5FF', ['#0b1026', '#ff2e88', '#00e5ff']],
    ['codes separated by spaces', '#1B1F3A #E0E6F0 #FFB000', ['#1b1f3a', '#e0e6f0', '#ffb000']],
    ['names with codes', 'Deep navy (#0B1026), neon magenta (#FF2E88)', ['#0b1026', '#ff2e88']],
    ['short codes and rgb()', '#fff, rgb(255, 0, 0)', ['#ffffff', '#ff0000']],
    ['bare codes', '0B1026, FF2E88', ['#0b1026', '#ff2e88']],
    ['CSS names', 'teal, crimson and gold', ['#008080', '#dc143c', '#ffd700']],
    ['an array of names', ['midnight blue', 'hot pink'], ['#191970', '#ff69b4']],
    ['objects', [{ name: 'navy', hex: '#000080' }, { name: 'amber' }], ['#000080', '#ffbf00']],
    ['more than five: the first five', '#000001 #000002 #000003 #000004 #000005 #000006', ['#000001', '#000002', '#000003', '#000004', '#000005']],
    ['duplicates once', '#abcdef, #ABCDEF', ['#abcdef']],
    ['nothing readable', 'moody and cinematic', null],
    ['not there', undefined, null],
    ['a number', 42, null],
  ];
  for (const [what, value, expected] of cases) test(what, () => assert.deepEqual(salvagePalette(value), expected));

  test('modifiers shift the base colour the right way', () => {
    const lum = (hex: string) => [1, 3, 5].reduce((s, i) => s + parseInt(hex.slice(i, i + 2), 16), 0);
    assert.equal(colourFromName('magenta'), '#ff00ff');
    assert.ok(lum(colourFromName('deep magenta')!) < lum('#ff00ff'));
    assert.ok(lum(colourFromName('pale blue')!) > lum('#0000ff'));
    assert.equal(colourFromName('burnt orange'), '#cc5500', 'a compound name wins over its last word');
    assert.equal(colourFromName('dark slate gray'), '#2f4f4f');
    assert.equal(colourFromName('vibes'), null);
  });
});

describe('energy on other scales', () => {
  test('the scale is decided from the whole answer', () => {
    assert.equal(energyScale([0.2, 0.9, 1].map((v) => readEnergy(v))), 1);
    assert.equal(energyScale([1, 3, 8].map((v) => readEnergy(v))), 10, 'a 1 in a 1–10 answer stays a 1 of 10');
    assert.equal(energyScale([5, 40, 95].map((v) => readEnergy(v))), 100);
    assert.equal(energyScale([readEnergy('7/10'), readEnergy('80%')]), 1, 'explicit scales do not decide it');
  });
  test('readings', () => {
    assert.deepEqual(readEnergy('7/10'), { value: 0.7, explicit: true });
    assert.deepEqual(readEnergy('65%'), { value: 0.65, explicit: true });
    assert.deepEqual(readEnergy('8'), { value: 8, explicit: false });
    assert.equal(readEnergy('very high')?.value, 0.95);
    assert.equal(readEnergy('calm')?.value, 0.25);
    assert.equal(readEnergy('¯\\_(ツ)_/¯'), null);
  });
  test('a scenes answer: rescaled, clamped, missing energy defaulted and noted', () => {
    const r = readScenesAnswer({ scenes: [{ start_time_s: 0, end_time_s: 5, energy: 10 }, { start_time_s: 5, end_time_s: 10, energy: 2 }, { start_time_s: 10, end_time_s: 15 }] });
    assert.ok(r.ok);
    assert.deepEqual(r.reading.scenes.map((s) => s.energy), [1, 0.2, 0.5]);
    assert.ok(r.reading.notes.some((n) => /0–10 scale/.test(n)));
    assert.ok(r.reading.notes.some((n) => /1 scene\(s\) had no energy/.test(n)));
  });
});

describe('other shapes of answers', () => {
  test('key spellings and times', () => {
    assert.equal(snakeKey('imagePrompt'), 'image_prompt');
    assert.equal(snakeKey('Color Palette'), 'color_palette');
    assert.equal(seconds('1:23.5'), 83.5);
    assert.equal(seconds('00:01:02'), 62);
    assert.equal(seconds('12.5s'), 12.5);
    assert.equal(seconds('soon'), null);
  });
  test('scenes nested one level, an item without times dropped, the rest kept', () => {
    const r = readScenesAnswer({ video: { scenes: [{ startTime: '0:00', endTime: '0:06', Title: 'A' }, { title: 'no times' }, { start: 6, end: 12 }] } });
    assert.ok(r.ok);
    assert.equal(r.reading.scenes.length, 2);
    assert.equal(r.reading.scenes[0]!.title, 'A');
    assert.match(r.reading.dropped[0]!, /item 1: no start\/end time/);
  });
  test('prompts: 1-based indices shifted, missing indices filled in order, text fields from arrays', () => {
    const shifted = readPromptsAnswer({ prompts: [{ scene_index: 5, image_prompt: 'a' }, { scene_index: 6, image_prompt: 'b' }] }, [4, 5]);
    assert.deepEqual([...shifted.drafts.keys()], [4, 5]);
    assert.ok(shifted.notes.some((n) => /counted from 1/.test(n)));
    const noIndex = readPromptsAnswer([{ imagePrompt: 'x', mood: ['dark', 'tense'] }, { prompt: 'y' }], [8, 9]);
    assert.equal(noIndex.drafts.get(8)!.image_prompt, 'x');
    assert.equal(noIndex.drafts.get(8)!.mood, 'dark, tense');
    assert.equal(noIndex.drafts.get(9)!.image_prompt, 'y');
    assert.equal(noIndex.drafts.get(9)!.negative_prompt, null, 'a missing optional field is null');
    const single = readPromptsAnswer({ image_prompt: 'only one' }, [3]);
    assert.equal(single.drafts.get(3)!.image_prompt, 'only one');
  });
  test('prompts: an item without an image prompt is reported by index, the others kept', () => {
    const r = readPromptsAnswer({ prompts: [{ scene_index: 0, image_prompt: '' }, { scene_index: 1, image_prompt: 'ok', color_palette: 'no colours here' }] }, [0, 1, 2]);
    assert.deepEqual([...r.drafts.keys()], [1]);
    assert.equal(r.drafts.get(1)!.color_palette, null);
    assert.deepEqual(r.problems, ['scene_index 0: no image_prompt', 'scene_index 2: missing from the answer']);
  });
  test('complete items of a cut-off answer', () => {
    assert.deepEqual(completeItems('```json\n{"prompts": [{"a": 1}, {"b": "}"}, {"c": 3', 'prompts'), [{ a: 1 }, { b: '}' }]);
    assert.deepEqual(completeItems('[{"a":1},{"b"', 'prompts'), [{ a: 1 }]);
    assert.deepEqual(completeItems('nothing', 'prompts'), []);
  });
});

describe('motion guidance', () => {
  test('intensity follows energy', () => {
    assert.equal(intensityFor(0.1).label, 'gentle');
    assert.equal(intensityFor(0.5).label, 'moderate');
    assert.equal(intensityFor(0.9).label, 'intense');
    assert.equal(intensityFor(null).label, 'moderate');
  });
  test('negative clauses are dropped, separators kept; all-negative text is kept as is', () => {
    assert.equal(dropNegativeClauses('Slow push in; the smoke drifts, no camera shake. Do not cut away.'), 'Slow push in; the smoke drifts.');
    assert.equal(dropNegativeClauses('No cuts.'), 'No cuts.');
    assert.equal(tidyMotionPrompt(`  "${'word '.repeat(200)}"  `).length <= 600, true);
  });
  test('vision list: conservative, overridable', () => {
    assert.equal(acceptsImages('deepseek/deepseek-v3.1-terminus'), false);
    assert.equal(acceptsImages('gpt-4o-mini'), true);
    assert.equal(acceptsImages('openai/gpt-4o-mini'), true);
    assert.equal(acceptsImages('gpt-4o-mini-transcribe'), false);
    assert.equal(acceptsImages('google/gemini-2.5-flash'), true);
    assert.equal(acceptsImages('anthropic/claude-sonnet-4'), true);
    assert.equal(acceptsImages('some/new-model', 'on'), true);
    assert.equal(acceptsImages('gpt-4o', 'off'), false);
  });
});

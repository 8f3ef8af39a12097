import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assTime, buildAss, escapeAssText } from '../../src/core/captions/ass.ts';

test('assTime formats centiseconds', () => {
  assert.equal(assTime(0), '0:00:00.00');
  assert.equal(assTime(61.237), '0:01:01.24');
  assert.equal(assTime(3725.5), '1:02:05.50');
});

test('escapeAssText neutralises override tags, escapes and newlines', () => {
  assert.equal(escapeAssText('a {\\b1} b'), 'a (/b1) b');
  assert.equal(escapeAssText('one\r\ntwo\n\nthree'), 'one\\Ntwo\\Nthree');
});

test('buildAss: sized to the video, bottom centre, sorted and escaped events', () => {
  const ass = buildAss(
    [
      { start: 5, end: 7.5, text: 'second {line}' },
      { start: 1, end: 3, text: 'first\nline' },
      { start: 8, end: 8, text: 'zero length is dropped' },
      { start: 9, end: 10, text: '   ' },
    ],
    { width: 1280, height: 720, title: 'Easy\nKill' },
  );
  assert.match(ass, /PlayResX: 1280\nPlayResY: 720/);
  assert.match(ass, /Title: Easy Kill\n/);
  const style = ass.split('\n').find((l) => l.startsWith('Style: '))!;
  const fields = style.slice(7).split(',');
  assert.equal(fields[2], String(Math.round(720 * 0.055)), 'font size relative to height');
  assert.equal(fields[18], '2', 'alignment bottom centre');
  const events = ass.split('\n').filter((l) => l.startsWith('Dialogue:'));
  assert.deepEqual(events, [
    'Dialogue: 0,0:00:01.00,0:00:03.00,Lyric,,0,0,0,,first\\Nline',
    'Dialogue: 0,0:00:05.00,0:00:07.50,Lyric,,0,0,0,,second (line)',
  ]);
  const small = buildAss([], { width: 320, height: 180 });
  assert.match(small, /Style: Lyric,DejaVu Sans,12,/);
});

/**
 * The exported timelines checked against the structures their formats publish:
 * - OTIO: the serialized schema of the OpenTimelineIO project — each OTIO_SCHEMA and the exact
 *   fields it serializes (docs/tutorials/otio-serialized-schema-only-fields.md in
 *   AcademySoftwareFoundation/OpenTimelineIO; Stack/Track also serialize `children`, Clip.2 its
 *   `media_references` map keyed by `active_media_reference_key`); marker colours from
 *   opentimelineio.schema.MarkerColor.
 * - CMX3600: the event line layout (3-digit event number, reel ≤ 8 characters, track, transition,
 *   source in/out, record in/out as HH:MM:SS:FF), TITLE and FCM header lines, ≤ 999 events.
 * - FCPXML 1.9: element nesting, order and required attributes as Apple's DTD declares them
 *   (FCPXMLv1_9.dtd, as kept in CommandPost/CommandPost src/extensions/cp/apple/fcpxml/dtd/);
 *   with `xmllint` installed and OMVEE_FCPXML_DTD pointing at that DTD, the file is also validated
 *   by libxml2 itself.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import type { AudioAnalysis } from '../../src/core/analysis/model.ts';
import { cutTimeline, fcpTime, timecode, writeEdl, writeFcpxml, writeOtio } from '../../src/core/export/index.ts';
import type { Project, Scene, VideoClip } from '../../src/core/model.ts';

const execP = promisify(execFile);

const project = { name: 'Easy "Kill" & <co>', fps: 30, width: 1280, height: 720, audio_duration_s: 20, audio_filename: 'easy kill.mp3', audio_sample_rate: 44100, audio_channels: 2 } as unknown as Project;
const bounds = [0, 4.5, 9.2, 15, 20];
const scenes = bounds.slice(0, -1).map((s, i) => ({ id: `s${i}`, order_idx: i, start_time_s: s, end_time_s: bounds[i + 1]! })) as unknown as Scene[];
const clips = scenes.map((s, i) => ({ id: `c${i}`, scene_id: s.id, take: i === 2 ? 2 : 1, frame_count: Math.round(s.end_time_s * 30) - Math.round(s.start_time_s * 30) })) as unknown as VideoClip[];
const analysis = { sections: [{ start_s: 0, end_s: 6, label: 'A', energy: 0.3 }, { start_s: 6, end_s: 12.4, label: 'B', energy: 0.8 }, { start_s: 12.4, end_s: 20, label: 'A', energy: 0.5 }], chorus_label: 'B' } as unknown as AudioAnalysis;
const timeline = cutTimeline({ project, scenes, clips, clipPaths: new Map(clips.map((c, i) => [c.id, `/tmp/out dir/cut_media/scene-00${i + 1}.mp4`])), songPath: '/tmp/out dir/cut_media/song.mp3', analysis });

test('the timeline: clips back to back covering the song, markers at the sections', () => {
  assert.equal(timeline.frames, 600);
  let at = 0;
  for (const c of timeline.clips) {
    assert.equal(c.recordIn, at);
    at += c.frames;
  }
  assert.equal(at, 600);
  assert.deepEqual(timeline.markers.map((m) => [m.frame, m.name]), [[0, 'Section A'], [180, 'Section B (chorus)'], [372, 'Section A']]);
  assert.equal(timeline.markers[0]!.colour, timeline.markers[2]!.colour, 'a repeated section keeps its colour');
});

// ---- OTIO ---------------------------------------------------------------------------------
const OTIO_FIELDS: Record<string, string[]> = {
  'Timeline.1': ['global_start_time', 'metadata', 'name', 'tracks'],
  'Stack.1': ['effects', 'enabled', 'markers', 'metadata', 'name', 'source_range', 'children'],
  'Track.1': ['effects', 'enabled', 'kind', 'markers', 'metadata', 'name', 'source_range', 'children'],
  'Clip.2': ['active_media_reference_key', 'effects', 'enabled', 'markers', 'media_references', 'metadata', 'name', 'source_range'],
  'ExternalReference.1': ['available_image_bounds', 'available_range', 'metadata', 'name', 'target_url'],
  'Marker.2': ['color', 'comment', 'marked_range', 'metadata', 'name'],
  'TimeRange.1': ['duration', 'start_time'],
  'RationalTime.1': ['rate', 'value'],
};
const MARKER_COLORS = ['PINK', 'RED', 'ORANGE', 'YELLOW', 'GREEN', 'CYAN', 'BLUE', 'PURPLE', 'MAGENTA', 'BLACK', 'WHITE'];

function checkOtio(node: unknown, where: string, seen: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((n, i) => checkOtio(n, `${where}[${i}]`, seen));
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const schema = obj['OTIO_SCHEMA'];
  if (typeof schema === 'string') {
    seen.add(schema);
    const fields = OTIO_FIELDS[schema];
    assert.ok(fields, `${where}: unknown schema ${schema}`);
    assert.deepEqual(Object.keys(obj).filter((k) => k !== 'OTIO_SCHEMA').sort(), [...fields].sort(), `${where}: fields of ${schema}`);
    if (schema === 'RationalTime.1') assert.ok(Number.isInteger(obj['value']) && obj['rate'] === 30, `${where}: whole frames at 30`);
    if (schema === 'Track.1') assert.ok(['Video', 'Audio'].includes(obj['kind'] as string));
    if (schema === 'Marker.2') assert.ok(MARKER_COLORS.includes(obj['color'] as string), `${where}: colour`);
    if (schema === 'Clip.2') {
      const refs = obj['media_references'] as Record<string, unknown>;
      assert.ok(refs[obj['active_media_reference_key'] as string], `${where}: the active reference exists`);
    }
    if (schema === 'ExternalReference.1') assert.match(obj['target_url'] as string, /^file:\/\/\/tmp\/out%20dir\//);
  }
  for (const [k, v] of Object.entries(obj)) if (k !== 'metadata') checkOtio(v, `${where}.${k}`, seen);
}

test('OTIO: every object has the fields its published schema serializes; track lengths add up', () => {
  const doc = JSON.parse(writeOtio(timeline)) as { tracks: { children: { kind: string; children: { source_range: { duration: { value: number } } }[] }[]; markers: unknown[] } };
  const seen = new Set<string>();
  checkOtio(doc, 'timeline', seen);
  for (const s of ['Timeline.1', 'Stack.1', 'Track.1', 'Clip.2', 'ExternalReference.1', 'Marker.2']) assert.ok(seen.has(s), `uses ${s}`);
  for (const track of doc.tracks.children) assert.equal(track.children.reduce((n, c) => n + c.source_range.duration.value, 0), 600, `${track.kind} track lasts the song`);
  assert.equal(doc.tracks.markers.length, 3);
});

// ---- CMX3600 --------------------------------------------------------------------------------
const EVENT = /^(\d{3})  (\S{1,8}) +(V|A|A2|AA|B) +C {8}(\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d) (\d\d:\d\d:\d\d:\d\d)$/;
const tcFrames = (tc: string, fps: number): number => {
  const [h, m, s, f] = tc.split(':').map(Number) as [number, number, number, number];
  assert.ok(m < 60 && s < 60 && f < fps, `valid timecode ${tc}`);
  return ((h * 60 + m) * 60 + s) * fps + f;
};

test('EDL: CMX3600 header and event lines; record side contiguous from 01:00:00:00; durations match on both sides', () => {
  const edl = writeEdl(timeline);
  const lines = edl.split('\n');
  assert.match(lines[0]!, /^TITLE: .{1,60}$/);
  assert.equal(lines[1], 'FCM: NON-DROP FRAME');
  const events = lines.filter((l) => /^\d{3} /.test(l)).map((l) => {
    const m = EVENT.exec(l);
    assert.ok(m, `CMX3600 event line: "${l}"`);
    return { n: Number(m[1]), reel: m[2]!, track: m[3]!, si: tcFrames(m[4]!, 30), so: tcFrames(m[5]!, 30), ri: tcFrames(m[6]!, 30), ro: tcFrames(m[7]!, 30) };
  });
  assert.deepEqual(events.map((e) => e.n), [1, 2, 3, 4, 5]);
  const video = events.filter((e) => e.track === 'V');
  let rec = 3600 * 30;
  for (const e of video) {
    assert.equal(e.ri, rec, 'no gap or overlap on the record side');
    assert.equal(e.so - e.si, e.ro - e.ri, 'source and record durations agree');
    rec = e.ro;
  }
  assert.equal(rec - 3600 * 30, 600);
  const audio = events.find((e) => e.track === 'A')!;
  assert.equal(audio.ro - audio.ri, 600);
  assert.match(edl, /\* FROM CLIP NAME: scene-001\.mp4/);
  assert.match(edl, /\* LOC: 01:00:06:00 \w+ Section B \(chorus\)/);
  assert.equal(timecode(3600 * 30 + 29, 30), '01:00:00:29');
});

// ---- FCPXML ---------------------------------------------------------------------------------
interface El { name: string; attrs: Record<string, string>; children: El[] }

/** A small XML reader for what the writer emits (elements, attributes, entities); throws on malformed input. */
function parseXml(xml: string): El {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/^<!DOCTYPE[^>]*>\s*/, '');
  const stack: El[] = [{ name: '#root', attrs: {}, children: [] }];
  const re = /<(\/?)([\w-]+)((?:\s+[\w-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m[5] !== undefined) {
      assert.equal(m[5].trim(), '', `no text content expected: "${m[5].trim()}"`);
      continue;
    }
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const top = stack.pop()!;
      assert.equal(top.name, name, 'tags nest');
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w-]+)="([^"]*)"/g)) {
      assert.ok(!/[<&](?!amp;|lt;|gt;|quot;|apos;)/.test(a[2]!), `escaped attribute ${a[1]}`);
      attrs[a[1]!] = a[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    }
    const el: El = { name: name!, attrs, children: [] };
    stack[stack.length - 1]!.children.push(el);
    if (!selfClose) stack.push(el);
  }
  assert.equal(stack.length, 1, 'every element closed');
  assert.equal(stack[0]!.children.length, 1, 'one root element');
  return stack[0]!.children[0]!;
}

/** From FCPXMLv1_9.dtd: allowed children (in order groups) and #REQUIRED attributes of the elements omvee writes. */
const DTD: Record<string, { children: RegExp; required: string[] }> = {
  fcpxml: { children: /^(import-options )?(resources )?(library |(event )*)$/, required: ['version'] },
  resources: { children: /^((asset|effect|format|media) )*$/, required: [] },
  format: { children: /^$/, required: ['id'] },
  asset: { children: /^(media-rep )+(metadata )?$/, required: ['id'] },
  'media-rep': { children: /^(bookmark )?$/, required: ['src'] },
  library: { children: /^((event|smart-collection) )*$/, required: [] },
  event: { children: /^((clip|audition|mc-clip|ref-clip|sync-clip|asset-clip|project) )*$/, required: [] },
  project: { children: /^sequence $/, required: [] },
  sequence: { children: /^(note )?spine (metadata )?$/, required: ['format'] },
  spine: { children: /^((audio|video|clip|title|mc-clip|ref-clip|sync-clip|asset-clip|audition|gap|transition) )*$/, required: [] },
  // asset-clip: (note?, timing, intrinsic params, anchor_item*, marker_item*, …): connected clips before markers
  'asset-clip': { children: /^((audio|video|clip|title|caption|mc-clip|ref-clip|sync-clip|asset-clip|audition|spine) )*((marker|chapter-marker|rating|keyword|analysis-marker) )*$/, required: ['ref'] },
  marker: { children: /^$/, required: ['start', 'value'] },
};
const TIME = /^(0|\d+(\/\d+)?)s$/;
const TIME_ATTRS = new Set(['start', 'duration', 'offset', 'frameDuration', 'tcStart']);

function checkFcp(el: El, ids: Map<string, string>): void {
  const rule = DTD[el.name];
  assert.ok(rule, `element <${el.name}> is one the DTD declares and omvee is expected to write`);
  const kids = el.children.map((c) => `${c.name} `).join('');
  assert.match(kids, rule.children, `<${el.name}> children "${kids.trim()}"`);
  for (const r of rule.required) assert.ok(el.attrs[r] !== undefined, `<${el.name}> has ${r}`);
  for (const [k, v] of Object.entries(el.attrs)) if (TIME_ATTRS.has(k)) assert.match(v, TIME, `<${el.name} ${k}="${v}"> is a rational time`);
  if (el.name === 'fcpxml') assert.equal(el.attrs['version'], '1.9', 'the #FIXED version');
  if (el.attrs['lane'] !== undefined) assert.match(el.attrs['lane'], /^-?[1-9]\d*$/, 'anchored items have a non-zero lane');
  for (const ref of ['ref', 'format']) {
    const v = el.attrs[ref];
    if (v !== undefined && el.name !== 'format') assert.ok(ids.has(v), `<${el.name} ${ref}="${v}"> points at a declared id`);
  }
  el.children.forEach((c) => checkFcp(c, ids));
}

const secs = (t: string): number => {
  const m = /^(\d+)(?:\/(\d+))?s$/.exec(t)!;
  return Number(m[1]) / Number(m[2] ?? 1);
};

test('FCPXML 1.9: nesting, order, required attributes and references as the DTD declares; the spine covers the song', async () => {
  const xml = writeFcpxml(timeline);
  const root = parseXml(xml);
  const ids = new Map<string, string>();
  const collect = (e: El): void => {
    if (e.attrs['id']) {
      assert.ok(!ids.has(e.attrs['id']), `id ${e.attrs['id']} is unique`);
      ids.set(e.attrs['id'], e.name);
    }
    e.children.forEach(collect);
  };
  collect(root);
  checkFcp(root, ids);
  const spine = root.children[1]!.children[0]!.children[0]!.children[0]!.children[0]!;
  assert.equal(spine.name, 'spine');
  let t = 0;
  for (const clip of spine.children) {
    assert.ok(Math.abs(secs(clip.attrs['offset']!) - t) < 1e-9, 'clips follow each other');
    t += secs(clip.attrs['duration']!);
  }
  assert.ok(Math.abs(t - 20) < 1e-9, `spine lasts ${t} s`);
  const markers = spine.children.flatMap((c) => c.children.filter((k) => k.name === 'marker').map((m) => secs(c.attrs['offset']!) + secs(m.attrs['start']!) - secs(c.attrs['start']!)));
  assert.deepEqual(markers.map((m) => Math.round(m * 1000) / 1000), [0, 6, 12.4]);
  assert.equal(fcpTime(45, 30), '3/2s');
  assert.equal(fcpTime(90, 30), '3s');
  assert.match(xml, /name="Easy &quot;Kill&quot; &amp; &lt;co&gt;"/);
});

const dtd = process.env['OMVEE_FCPXML_DTD'];
const xmllint = await execP('xmllint', ['--version']).then(() => true, () => false);
test('FCPXML validates against Apple\'s DTD with xmllint', { skip: dtd && xmllint ? false : 'set OMVEE_FCPXML_DTD to FCPXMLv1_9.dtd (e.g. from CommandPost/CommandPost) and install xmllint (libxml2-utils) to run the DTD validation' }, async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'omvee-fcpxml-'));
  try {
    const file = path.join(dir, 'cut.fcpxml');
    await writeFile(file, writeFcpxml(timeline));
    const r = await execP('xmllint', ['--noout', '--dtdvalid', dtd!, file]).then(() => 'valid', (e: { stderr?: string }) => e.stderr ?? 'invalid');
    assert.equal(r, 'valid');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

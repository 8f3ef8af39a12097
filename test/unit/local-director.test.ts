import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Scene, Transcript } from '../../src/core/model.ts';
import { validateScenes } from '../../src/core/timeline/index.ts';
import { MOTIONS, SHOT_TYPES, createLocalDirector } from '../../src/providers/local/local-director.ts';
import type { SceneSelectionInput } from '../../src/providers/ports.ts';

const chorus = 'We are the fire tonight!';
const lines = [
  [2, 'Walking down the empty city street'],
  [7, 'Neon lights are burning in the rain'],
  [13, chorus],
  [18, 'Hold me under the midnight moon'],
  [40, chorus],
  [45, 'Driving down the highway far away'],
] as const;
const transcript: Transcript = {
  source: 'lrc',
  segments: lines.map(([start, text], i) => ({ start, end: (lines[i + 1]?.[0] ?? 50) - 0.5, text })),
};
const input: SceneSelectionInput = {
  projectName: 'Easy Kill',
  style: 'grainy 16mm film, moody noir',
  durationS: 62.4,
  transcript,
  sceneMinS: 5,
  sceneMaxS: 10,
};

function toScenes(drafts: Awaited<ReturnType<ReturnType<typeof createLocalDirector>['selectScenes']>>['scenes']): Scene[] {
  return drafts.map((d, i) => ({
    id: `s${i}`,
    project_id: 'p',
    order_idx: i,
    start_time_s: d.start_time_s,
    end_time_s: d.end_time_s,
    title: d.title,
    theme: d.theme,
    lyric_excerpt: d.lyric_excerpt,
    energy: d.energy,
    artist_id: null,
    artist_role: i === 1 ? 'primary' : 'none',
    generated_by_model: 'omvee-local-director-1',
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
  }));
}

describe('local director', () => {
  const director = createLocalDirector();

  it('is named local, free, and selects valid scenes with titles, themes and energy', async () => {
    assert.equal(director.name, 'local');
    assert.equal(director.model, 'omvee-local-director-1');
    const r = await director.selectScenes(input, {});
    assert.equal(r.costUsd, 0);
    assert.equal(r.model, 'omvee-local-director-1');
    assert.deepEqual(validateScenes(r.scenes, input), []);
    for (const s of r.scenes) {
      assert.ok(s.title.length > 0);
      assert.ok(s.theme.length > 0);
      assert.ok(s.energy >= 0 && s.energy <= 1);
    }
    const first = r.scenes[0]!;
    assert.equal(first.title, 'Walking down the empty city street');
    assert.equal(first.theme, 'city');
    const instrumental = r.scenes.filter((s) => s.lyric_excerpt === '');
    assert.ok(instrumental.length > 0);
    assert.equal(instrumental[0]!.title, 'Instrumental 1');
    // the repeated line (chorus) with an exclamation scores above a quiet instrumental
    const chorusScene = r.scenes.find((s) => s.lyric_excerpt.includes(chorus))!;
    assert.ok(chorusScene.energy > instrumental[0]!.energy);
  });

  it('handles an instrumental song (no transcript)', async () => {
    const r = await director.selectScenes({ ...input, transcript: null, style: null, durationS: 31 }, {});
    assert.deepEqual(validateScenes(r.scenes, { ...input, durationS: 31 }), []);
    assert.deepEqual(
      r.scenes.map((s) => s.title),
      r.scenes.map((_, i) => `Instrumental ${i + 1}`),
    );
  });

  it('rejects bad scene bounds as a usage error', async () => {
    await assert.rejects(director.selectScenes({ ...input, sceneMinS: 0 }, {}), (e: unknown) => (e as { code?: string }).code === 'usage');
  });

  it('writes complete, varied prompts', async () => {
    const sel = await director.selectScenes(input, {});
    const scenes = toScenes(sel.scenes);
    const r = await director.writePrompts({ projectName: input.projectName, style: input.style, scenes, transcript }, {});
    assert.equal(r.prompts.length, scenes.length);
    assert.equal(r.costUsd, 0);
    r.prompts.forEach((p, i) => {
      for (const key of ['image_prompt', 'style_notes', 'negative_prompt', 'setting', 'shot_type', 'mood', 'motion_prompt'] as const) {
        assert.ok(typeof p[key] === 'string' && p[key].length > 0, `${key} of prompt ${i}`);
      }
      assert.ok(p.image_prompt.includes('grainy 16mm film'), 'the project style is in the prompt');
      assert.ok(p.color_palette && p.color_palette.length >= 3 && p.color_palette.length <= 5);
      for (const c of p.color_palette) assert.match(c, /^#[0-9a-f]{6}$/);
      assert.ok((SHOT_TYPES as readonly string[]).includes(p.shot_type!));
      assert.ok(MOTIONS.some((m) => p.motion_prompt!.startsWith(m)));
      const prev = r.prompts[i - 1];
      if (prev) {
        assert.notEqual(p.shot_type, prev.shot_type, 'shot types vary');
        assert.notEqual(p.motion_prompt!.split(',')[0], prev.motion_prompt!.split(',')[0], 'motions vary');
      }
    });
    assert.match(r.prompts[1]!.image_prompt, /lead performer/);
    assert.match(r.prompts[0]!.image_prompt, /walking|city|street/);
  });

  it('is deterministic: same input, same output', async () => {
    const a = await director.selectScenes(input, {});
    const b = await createLocalDirector().selectScenes(structuredClone(input), {});
    assert.deepEqual(a, b);
    const scenes = toScenes(a.scenes);
    const pa = await director.writePrompts({ projectName: 'Easy Kill', style: input.style, scenes, transcript }, {});
    const pb = await director.writePrompts({ projectName: 'Easy Kill', style: input.style, scenes: structuredClone(scenes), transcript }, {});
    assert.deepEqual(pa, pb);
    const other = await director.writePrompts({ projectName: 'Easy Kill', style: 'bright pop art', scenes, transcript }, {});
    assert.notDeepEqual(other.prompts.map((p) => p.color_palette), pa.prompts.map((p) => p.color_palette), 'style changes the palette');
  });

  it('honours an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(director.selectScenes(input, { signal: ac.signal }));
  });
});

/**
 * `omvee analyze` on the Supabase backend: the built binary with the service key against the
 * PostgREST double (real Postgres with supabase/migrations applied). The song is downloaded
 * from Storage through the project-scoped view, analysed once, stored in projects.audio_analysis
 * and read back; a second call uses the stored analysis (no new job).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { synthesizeSong } from '../../src/media/synth.ts';
import { startPostgrestDouble, type PostgrestDouble } from '../support/postgrest-double/server.ts';
import { omvee, omveeJson, serviceEnv, tempHome } from './helpers.ts';

describe('omvee analyze on Supabase', () => {
  let d: PostgrestDouble;
  before(async () => {
    d = await startPostgrestDouble();
  });
  after(async () => {
    await d?.close();
  });

  it('analyses once, stores it with the project, answers again from the store; the plot is drawn', async (t) => {
    const home = await tempHome(t);
    const env = serviceEnv(home, d);
    const song = path.join(home, 'song.mp3');
    await synthesizeSong('ffmpeg', song, 16, { bpm: 100 });
    const p = await omveeJson<{ id: string }>(env, ['project', 'create', 'Cloud Beat', '--audio', song]);

    const first = await omvee(env, ['analyze', p.id, '--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /listening to the song/);
    const a = JSON.parse(first.stdout) as { tempo_bpm: number; beats: number[]; downbeats: number[]; sections: { start_s: number; end_s: number; label: string }[]; energy: { values: number[] } };
    assert.ok(Math.abs(a.tempo_bpm - 100) < 2, `tempo ${a.tempo_bpm}`);
    assert.ok(a.beats.length >= 20 && a.downbeats.length >= 5);
    assert.equal(a.sections[0]!.start_s, 0);

    const shown = await omveeJson<{ audio_analysis: { tempo_bpm: number; beats: number } }>(env, ['project', 'show', p.id]);
    assert.equal(shown.audio_analysis.tempo_bpm, a.tempo_bpm, 'stored in Postgres with the project');
    assert.equal(shown.audio_analysis.beats, a.beats.length);

    const plot = path.join(home, 'plot.png');
    const again = await omvee(env, ['analyze', p.id, '--json', '--plot', plot]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /listening to the song/, 'the stored analysis is used');
    assert.deepEqual(JSON.parse(again.stdout).beats, a.beats);
    assert.equal(JSON.parse(again.stdout).plot, plot);
    const png = await readFile(plot);
    assert.deepEqual([png.subarray(1, 4).toString('latin1'), png.readUInt32BE(16), png.readUInt32BE(20)], ['PNG', 1600, 600], 'the plot drawn from the analysis stored in Postgres');
    const jobs = await omveeJson<{ type: string; status: string }[]>(env, ['jobs', 'list', '--project', p.id]);
    assert.deepEqual(jobs.filter((j) => j.type === 'analyze_audio').map((j) => j.status), ['completed'], 'one analyze job');
  });
});

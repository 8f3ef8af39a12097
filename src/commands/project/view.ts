/** How projects are shown: table columns and detail fields, shared by project commands. */
import type { Column } from '../../cli/output.ts';
import { formatDuration } from '../../cli/output.ts';
import type { Project } from '../../core/model.ts';
import { nearestAspect } from '../../core/video/frame-format.ts';

export const PROJECT_COLUMNS: Column<Project>[] = [
  { header: 'id', value: (p) => p.id, id: true },
  { header: 'name', value: (p) => p.name },
  { header: 'status', value: (p) => p.status },
  { header: 'duration', value: (p) => formatDuration(p.audio_duration_s), align: 'right' },
  { header: 'created', value: (p) => p.created_at.slice(0, 19).replace('T', ' ') },
];

/** A project row for --json: every column, the transcript summarised (it can be large). */
export function projectJson(p: Project): Record<string, unknown> {
  const a = p.audio_analysis;
  return {
    ...p,
    transcript: p.transcript ? { source: p.transcript.source, language: p.transcript.language ?? null, segments: p.transcript.segments.length } : null,
    // the whole analysis (beats, energy, waveform) is `omvee analyze --json`'s; here its summary
    audio_analysis: a ? { tempo_bpm: a.tempo_bpm, meter: a.meter, beats: a.beats.length, sections: a.sections.length, chorus_label: a.chorus_label } : null,
  };
}

export function projectFields(p: Project): [string, unknown][] {
  return [
    ['id', p.id],
    ['name', p.name],
    ['status', p.status],
    ['style', p.style],
    ['audio', p.audio_filename],
    ['audio_path', p.audio_path],
    ['duration', formatDuration(p.audio_duration_s)],
    ['format', p.audio_format ? `${p.audio_format} / ${p.audio_codec} / ${p.audio_sample_rate} Hz / ${p.audio_channels} ch` : null],
    ['lyrics', p.transcript ? `${p.transcript.segments.length} lines (${p.transcript.source})` : null],
    ['resolution', `${p.width}x${p.height} @ ${p.fps} fps (${nearestAspect(p)})`],
    ['captions', p.caption_style ?? 'default (karaoke offline, none with AI images)'],
    ['visualizer', p.visualizer ?? 'none'],
    ['created_at', p.created_at],
    ['updated_at', p.updated_at],
  ];
}

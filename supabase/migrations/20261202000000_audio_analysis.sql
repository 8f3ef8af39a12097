-- omvee schema, version 4: the song heard.
--
-- * projects.audio_analysis: what the analyze step heard in the project's song — tempo, beats,
--   downbeats, meter, sections with repeat labels and the chorus, the energy curve, a waveform
--   envelope and plain-language notes (the JSON of src/core/analysis/model.ts, a few tens of kB for
--   a song). It carries the song file's sha256 and the analysis version, so the step is redone
--   when the song is replaced or the algorithm changes. A column of projects, not a table of its
--   own: there is exactly one per project, it goes with the project (delete, export/import), and
--   the row's owner policy (projects_owner) and the grants already on public.projects cover it —
--   nothing is granted here beyond what omvee's own table already had.
-- * jobs.type: the new step's job type, analyze_audio, between transcribe and analyze_scenes.
--   Mirrors src/store/local/migrations.ts version 6 (audio_analysis).

alter table public.projects
  add column audio_analysis jsonb check (audio_analysis is null or jsonb_typeof(audio_analysis) = 'object');

alter table public.jobs drop constraint if exists jobs_type_check;
alter table public.jobs add constraint jobs_type_check check (type in (
    'upload_audio', 'transcribe', 'analyze_audio', 'analyze_scenes', 'generate_prompts', 'generate_images',
    'generate_clips', 'assemble_video'));

create or replace function public.omvee_schema_version() returns integer
language sql immutable
set search_path = ''
as $$ select 4 $$;

-- omvee schema: captions and the clip finish.
--
-- * projects.caption_style: how lyrics are drawn over the video (karaoke | line | minimal | none);
--   null means "never chosen": offline projects then show karaoke captions, AI projects none.
-- * projects.visualizer: the audio-reactive layer (bars | wave | none); null means none.
-- * video_clips.finish_key: sha256 of what was burned into the clip while it was encoded (the part
--   of the caption/flash/visualizer document that overlaps it, its first frame, its size); null
--   for a clip with nothing burned in. The final cut compares it with what it needs and
--   re-finishes a clip whose key differs, from the provider's raw output or a clean copy.
--   Mirrors src/store/local/migrations.ts version 5 (captions_and_finish).

alter table public.projects
  add column caption_style text check (caption_style is null or caption_style in ('karaoke', 'line', 'minimal', 'none')),
  add column visualizer text check (visualizer is null or visualizer in ('bars', 'wave', 'none'));

alter table public.video_clips
  add column finish_key text check (finish_key is null or finish_key ~ '^[0-9a-f]{64}$');

create or replace function public.omvee_schema_version() returns integer
language sql immutable
set search_path = ''
as $$ select 3 $$;

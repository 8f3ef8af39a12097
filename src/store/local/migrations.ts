/**
 * Versioned, forward-only migrations of the embedded store. Each entry runs once, in order,
 * inside the IMMEDIATE transaction that opens the database (see local-store.ts), and is
 * recorded in `schema_migrations`. Never edit a released entry: append a new one.
 *
 * Column names and meanings mirror src/core/model.ts and supabase/migrations/*.sql.
 * JSON columns are TEXT holding JSON; booleans are INTEGER 0/1; timestamps are ISO-8601 TEXT
 * in UTC with milliseconds (so they sort and compare as text).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const initialSchema = `
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  user_id TEXT,
  name TEXT NOT NULL,
  description TEXT,
  style TEXT,
  status TEXT NOT NULL DEFAULT 'created',
  audio_path TEXT,
  audio_filename TEXT,
  audio_format TEXT,
  audio_codec TEXT,
  audio_duration_s REAL,
  audio_sample_rate REAL,
  audio_channels REAL,
  audio_size_bytes REAL,
  transcript TEXT,
  transcript_path TEXT,
  width INTEGER NOT NULL DEFAULT 1280,
  height INTEGER NOT NULL DEFAULT 720,
  fps INTEGER NOT NULL DEFAULT 30,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE artists (
  id TEXT PRIMARY KEY,
  user_id TEXT,
  name TEXT NOT NULL,
  description TEXT,
  reference_images TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE selected_scenes (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  order_idx INTEGER NOT NULL,
  start_time_s REAL NOT NULL,
  end_time_s REAL NOT NULL,
  title TEXT,
  theme TEXT,
  lyric_excerpt TEXT,
  energy REAL,
  artist_id TEXT REFERENCES artists(id) ON DELETE SET NULL,
  artist_role TEXT NOT NULL DEFAULT 'none',
  generated_by_model TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (project_id, order_idx)
) STRICT;
CREATE INDEX selected_scenes_artist_id_idx ON selected_scenes(artist_id);

CREATE TABLE scene_prompts (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  scene_id TEXT NOT NULL REFERENCES selected_scenes(id) ON DELETE CASCADE,
  image_prompt TEXT NOT NULL,
  style_notes TEXT,
  negative_prompt TEXT,
  setting TEXT,
  shot_type TEXT,
  mood TEXT,
  color_palette TEXT,
  motion_prompt TEXT,
  generated_by_model TEXT,
  cost_usd REAL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (scene_id)
) STRICT;
CREATE INDEX scene_prompts_project_id_idx ON scene_prompts(project_id);

CREATE TABLE generated_images (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  scene_id TEXT NOT NULL REFERENCES selected_scenes(id) ON DELETE CASCADE,
  prompt_id TEXT REFERENCES scene_prompts(id) ON DELETE SET NULL,
  take INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'pending',
  image_path TEXT,
  width REAL,
  height REAL,
  model TEXT,
  seed REAL,
  prompt TEXT,
  prediction_id TEXT,
  cost_usd REAL,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (scene_id, take)
) STRICT;
CREATE INDEX generated_images_project_id_idx ON generated_images(project_id);
CREATE INDEX generated_images_prompt_id_idx ON generated_images(prompt_id);

CREATE TABLE video_clips (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  scene_id TEXT NOT NULL REFERENCES selected_scenes(id) ON DELETE CASCADE,
  image_id TEXT REFERENCES generated_images(id) ON DELETE SET NULL,
  take INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'pending',
  clip_path TEXT,
  duration_s REAL,
  frame_count REAL,
  fps REAL,
  width REAL,
  height REAL,
  model TEXT,
  seed REAL,
  motion_prompt TEXT,
  prediction_id TEXT,
  cost_usd REAL,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (scene_id, take)
) STRICT;
CREATE INDEX video_clips_project_id_idx ON video_clips(project_id);
CREATE INDEX video_clips_image_id_idx ON video_clips(image_id);

CREATE TABLE user_approvals (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  scene_id TEXT NOT NULL REFERENCES selected_scenes(id) ON DELETE CASCADE,
  image_id TEXT REFERENCES generated_images(id) ON DELETE SET NULL,
  clip_id TEXT REFERENCES video_clips(id) ON DELETE SET NULL,
  user_id TEXT,
  decision TEXT NOT NULL,
  note TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX user_approvals_project_id_idx ON user_approvals(project_id);
CREATE INDEX user_approvals_scene_id_idx ON user_approvals(scene_id);
CREATE INDEX user_approvals_image_id_idx ON user_approvals(image_id);
CREATE INDEX user_approvals_clip_id_idx ON user_approvals(clip_id);

CREATE TABLE final_videos (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  status TEXT NOT NULL DEFAULT 'pending',
  video_path TEXT,
  duration_s REAL,
  frame_count REAL,
  fps REAL,
  width REAL,
  height REAL,
  size_bytes REAL,
  lyrics_overlay INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX final_videos_project_id_idx ON final_videos(project_id);

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  project_id TEXT REFERENCES projects(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  progress INTEGER NOT NULL DEFAULT 0,
  payload TEXT,
  result TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  run_after TEXT NOT NULL,
  locked_by TEXT,
  locked_at TEXT,
  heartbeat_at TEXT,
  started_at TEXT,
  finished_at TEXT,
  cost_usd REAL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX jobs_project_id_idx ON jobs(project_id);
CREATE INDEX jobs_claim_idx ON jobs(status, run_after, created_at);
`;

/**
 * Version 2: the lease length is stored. A running job's lease ends at lease_expires_at (claim or
 * heartbeat time + the holder's lease length), so recovery no longer judges a worker by the
 * recovering worker's own lease. Rows claimed before this version keep null (judged the old way).
 */
const jobLeaseExpiry = `
ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT;
CREATE INDEX jobs_running_lease_idx ON jobs(lease_expires_at) WHERE status = 'running';
`;

/**
 * Version 3: models' published input schemas cached per version (model_contracts, shared by
 * every project; unique per model, version and owner — always null here), and the paid attempts
 * of every take (a JSON array; null for takes made before this version).
 */
const modelContracts = `
CREATE TABLE model_contracts (
  id TEXT PRIMARY KEY,
  user_id TEXT,
  model TEXT NOT NULL,
  version TEXT NOT NULL,
  openapi_schema TEXT NOT NULL,
  source TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX model_contracts_model_version_owner_idx ON model_contracts(model, version, ifnull(user_id, ''));
CREATE INDEX model_contracts_model_fetched_idx ON model_contracts(model, fetched_at);
ALTER TABLE generated_images ADD COLUMN attempts TEXT;
ALTER TABLE video_clips ADD COLUMN attempts TEXT;
`;

/**
 * Version 4: job watchers poll for the rows changed since their last look (updated_at >= cursor),
 * so they see every job however short it ran; the index keeps that cheap. Same index as
 * supabase/migrations/20250401000000_realtime_publication.sql.
 */
const jobsUpdatedAtIndex = `
CREATE INDEX IF NOT EXISTS jobs_updated_at_idx ON jobs(updated_at, id);
`;

/**
 * Version 5: captions and the clip finish. projects.caption_style (karaoke | line | minimal | none;
 * null = the provider's default) and projects.visualizer (bars | wave | none; null = none);
 * video_clips.finish_key, the sha256 of what was burned into a clip while it was encoded (null:
 * nothing). Mirrors supabase/migrations/20261201100000_captions_and_finish.sql.
 */
const captionsAndFinish = `
ALTER TABLE projects ADD COLUMN caption_style TEXT CHECK (caption_style IS NULL OR caption_style IN ('karaoke', 'line', 'minimal', 'none'));
ALTER TABLE projects ADD COLUMN visualizer TEXT CHECK (visualizer IS NULL OR visualizer IN ('bars', 'wave', 'none'));
ALTER TABLE video_clips ADD COLUMN finish_key TEXT;
`;

/**
 * Version 6: projects.audio_analysis, what the analyze step heard in the song (tempo, beats,
 * downbeats, sections with labels, energy; JSON, see src/core/analysis/model.ts), keyed inside by
 * the song file's sha256 and the analysis version. Mirrors
 * supabase/migrations/20261202000000_audio_analysis.sql; the job type analyze_audio needs no
 * change here (job types are checked by the model, not by SQLite).
 */
const audioAnalysis = `
ALTER TABLE projects ADD COLUMN audio_analysis TEXT CHECK (audio_analysis IS NULL OR json_valid(audio_analysis));
`;

/** Ordered by version; the last entry is the schema this build expects. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial_schema', sql: initialSchema },
  { version: 2, name: 'job_lease_expiry', sql: jobLeaseExpiry },
  { version: 3, name: 'model_contracts_and_take_attempts', sql: modelContracts },
  { version: 4, name: 'jobs_updated_at_index', sql: jobsUpdatedAtIndex },
  { version: 5, name: 'captions_and_finish', sql: captionsAndFinish },
  { version: 6, name: 'audio_analysis', sql: audioAnalysis },
];

export const LATEST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

export const MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
) STRICT`;

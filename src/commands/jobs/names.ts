// Plain lists for commander choices (kept free of zod so --help stays fast).
export const JOB_STATUSES_LIST = ['pending', 'running', 'completed', 'failed', 'canceled'];
export const JOB_TYPES_LIST = ['upload_audio', 'transcribe', 'analyze_scenes', 'generate_prompts', 'generate_images', 'generate_clips', 'assemble_video'];

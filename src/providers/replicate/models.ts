/** The Replicate models used unless OMVEE_IMAGE_MODEL / OMVEE_CLIP_MODEL say otherwise. */
export const DEFAULT_IMAGE_MODEL = 'minimax/image-01';
export const DEFAULT_CLIP_MODEL = 'bytedance/seedance-1-lite';

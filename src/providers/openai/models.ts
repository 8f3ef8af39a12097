/** The transcription model unless OMVEE_WHISPER_MODEL says otherwise. */
export const DEFAULT_WHISPER_MODEL = 'whisper-1';

/** Audio analysis: what omvee hears in a song (pure; feed it PCM from src/media/decode-pcm.ts). */
export { ANALYSIS_VERSION, AudioAnalyser, NO_BEAT_NOTE, analyseFeatures, analyzeAudio } from './analyze.ts';
export type { AnalyzeOptions } from './analyze.ts';
export { ANALYSIS_SAMPLE_RATE, FeatureExtractor } from './features.ts';
export type { FrameFeatures } from './features.ts';
export { AudioAnalysisSchema, SectionSchema } from './model.ts';
export type { AudioAnalysis, Section } from './model.ts';
export { energyBetween, mainSection, sectionAt } from './query.ts';
export { analysisMatchesSongKey, storedAnalysis } from './stored.ts';

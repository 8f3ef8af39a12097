/** The embedded providers: offline, free, no key — what runs when nothing is configured. */
import type { ProviderEntry } from '../registry.ts';

export const localProvider: ProviderEntry = {
  name: 'local',
  offers: {
    transcriber: {
      title: 'the local transcript importer',
      create: async () => (await import('./local-transcriber.ts')).createLocalTranscriber(),
    },
    director: {
      title: 'the local director',
      create: async () => (await import('./local-director.ts')).createLocalDirector(),
    },
    images: {
      title: 'the local renderer',
      defaultConcurrency: 2,
      create: async ({ media }) => (await import('./local-images.ts')).createLocalImageGenerator(media),
    },
    clips: {
      title: 'the local renderer',
      defaultConcurrency: 2,
      create: async ({ media }) => (await import('./local-clips.ts')).createLocalClipGenerator(media),
    },
  },
};

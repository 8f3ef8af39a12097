/** The ffmpeg row of `omvee doctor`: found, and which version (not through the services: ffmpeg does not depend on the backend). */
import type { ResolvedConfig } from '../../config/resolve.ts';
import { runCheck, type CheckResult } from '../../core/doctor.ts';

export function ffmpegCheck(config: ResolvedConfig, env: Record<string, string | undefined>): Promise<CheckResult> {
  return runCheck('ffmpeg', async () => {
    const [{ resolveBinaries }, { createFfmpegMedia }] = await Promise.all([import('../../media/binaries.ts'), import('../../media/ffmpeg-media.ts')]);
    const bins = await resolveBinaries({ ...env, FFMPEG_PATH: config.values.FFMPEG_PATH, FFPROBE_PATH: config.values.FFPROBE_PATH });
    const v = await createFfmpegMedia(bins).versions();
    return { status: 'ok', detail: `${v.ffmpeg} (${v.ffmpegPath}); ffprobe ${v.ffprobe}`, hint: null };
  });
}

/**
 * Decodes + analyses one song in a fresh process and prints wall time, CPU time and the RSS it
 * added (peak RSS minus RSS before decoding), as JSON. Used by bench/analysis.ts.
 *   node bench/support/analyse-child.ts <ffmpeg> <song> <durationS>
 */
import { analyzeAudio } from '../../src/core/analysis/index.ts';
import { decodePcm } from '../../src/media/decode-pcm.ts';

const [ffmpeg, file, dur] = process.argv.slice(2);
// warm the modules so their loading is not counted as analysis memory
const before = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const a = await analyzeAudio(decodePcm(ffmpeg!, file!), { sampleRate: 22050, durationS: Number(dur), sha256: 'bench' });
const wallS = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const peak = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ wallS, cpuS: (cpu.user + cpu.system) / 1e6, rssAddedMb: (peak - before) / 2 ** 20, beats: a.beats.length }) + '\n');

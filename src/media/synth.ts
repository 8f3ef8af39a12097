/**
 * A small synthesiser on ffmpeg's aevalsrc: a four-chord pop progression (C–G–Am–F) at 100 BPM
 * with a pad, a plucked bass, an arpeggio, kick, snare and hi-hat, a little echo and fades.
 * Used to make the bundled demo song and, in tests and benches, songs of any length on the fly.
 */
import path from 'node:path';
import { runFfmpeg } from './run.ts';

export interface SynthOptions {
  sampleRate?: number;
  /** MP3 bitrate in kbit/s when the output ends in .mp3 */
  bitrateK?: number;
  /** beats per minute (default 100) */
  bpm?: number;
}

/** The aevalsrc expression for one channel. Registers: 0 chord, 1 root, 2 third, 3..5 scratch, 9 noise seed. */
export function songExpression(bpm: number, introBars = 2): string {
  const beat = 60 / bpm;
  const bar = beat * 4;
  const eighth = beat / 2;
  const tau = '2*PI';
  const parts = [
    `st(0,mod(floor(t/${bar}),4))`,
    // bass roots C3 G2 A2 F2 (Hz); the third is minor for Am
    `st(1,if(eq(ld(0),0),130.81,if(eq(ld(0),1),98.00,if(eq(ld(0),2),110.00,87.31))))`,
    `st(2,if(eq(ld(0),2),1.18921,1.25992))`,
    // pad: root, third and fifth two octaves up, soft attack each bar, slow tremolo
    `st(3,min(1,mod(t,${bar})/0.15)*(0.8+0.2*sin(${tau}*0.5*t)))`,
    `st(4,ld(3)*0.055*(sin(${tau}*2*ld(1)*t)+sin(${tau}*2*ld(1)*ld(2)*t)+sin(${tau}*2*ld(1)*1.49831*t)+0.3*sin(${tau}*4*ld(1)*1.49831*t)))`,
    // full band after the intro
    `st(5,gte(t,${introBars * bar}))`,
    // plucked bass on every beat
    `st(4,ld(4)+ld(5)*0.32*exp(-3.5*mod(t,${beat}))*(sin(${tau}*ld(1)*t)+0.25*sin(${tau}*2*ld(1)*t)))`,
    // arpeggio on eighths: root, third, fifth, octave, three octaves up from the bass
    `st(6,mod(floor(t/${eighth}),4))`,
    `st(7,if(eq(ld(6),0),1,if(eq(ld(6),1),ld(2),if(eq(ld(6),2),1.49831,2))))`,
    `st(4,ld(4)+ld(5)*0.11*exp(-7*mod(t,${eighth}))*sin(${tau}*4*ld(1)*ld(7)*t))`,
    // kick on beats 1 and 3: pitch-swept sine
    `st(8,mod(t,${2 * beat}))`,
    `st(4,ld(4)+ld(5)*0.55*exp(-9*ld(8))*sin(${tau}*(48*ld(8)+5*(1-exp(-28*ld(8))))))`,
    // snare on beats 2 and 4: noise burst with a body tone
    `st(8,mod(t+${beat},${2 * beat}))`,
    `st(4,ld(4)+ld(5)*exp(-20*ld(8))*(0.18*(2*random(9)-1)+0.1*sin(${tau}*190*t)))`,
    // hi-hat on eighths (also in the intro)
    `ld(4)+0.05*exp(-80*mod(t,${eighth}))*(2*random(9)-1)`,
  ];
  return parts.join(';');
}

/** Synthesises a song of durationS seconds to outPath (format from the extension: .mp3, .wav, .m4a, .flac). */
export async function synthesizeSong(ffmpegBin: string, outPath: string, durationS: number, opts: SynthOptions = {}): Promise<void> {
  const sampleRate = opts.sampleRate ?? 44100;
  const bpm = opts.bpm ?? 100;
  const fadeOut = Math.min(4, durationS / 4);
  const expr = songExpression(bpm);
  const filter = [
    `aevalsrc=exprs='${expr}':s=${sampleRate}:d=${durationS}`,
    'aecho=0.8:0.6:90|180:0.25|0.15',
    `afade=t=in:d=${Math.min(1, durationS / 4)}`,
    `afade=t=out:st=${(durationS - fadeOut).toFixed(3)}:d=${fadeOut.toFixed(3)}`,
    'volume=2.2',
    'alimiter=limit=0.9:level=false',
    'aformat=channel_layouts=stereo',
  ].join(',');
  const ext = path.extname(outPath).toLowerCase();
  const codec = ext === '.mp3' ? ['-c:a', 'libmp3lame', '-b:a', `${opts.bitrateK ?? 96}k`] : ext === '.m4a' ? ['-c:a', 'aac', '-b:a', '128k'] : [];
  await runFfmpeg(ffmpegBin, ['-y', '-f', 'lavfi', '-i', filter, '-t', String(durationS), ...codec, '-map_metadata', '-1', path.resolve(outPath)], { durationS });
}

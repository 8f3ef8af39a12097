/** The part of music-tempo (MIT, https://github.com/killercrush/music-tempo) the bench uses. */
declare module 'music-tempo' {
  export default class MusicTempo {
    constructor(audioData: ArrayLike<number>, params?: Record<string, number>);
    tempo: number;
    beats: number[];
  }
}

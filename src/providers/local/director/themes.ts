/**
 * Visual themes the local director recognises from lyrics and the project's style. Each has
 * keywords (matched as word prefixes when 4+ letters long), settings, imagery, moods from calm to
 * intense, a lighting note and base hues for its palette.
 */
import { words } from './text.ts';

export interface Theme {
  name: string;
  keywords: readonly string[];
  settings: readonly string[];
  imagery: string;
  /** [calm, medium, intense] */
  moods: readonly [string, string, string];
  lighting: string;
  /** base hues in degrees for the palette */
  hues: readonly number[];
  /** saturation/lightness flavour: 'dark' themes sit lower */
  tone: 'dark' | 'warm' | 'cool' | 'bright';
}

export const THEMES: readonly Theme[] = [
  {
    name: 'night',
    keywords: ['night', 'dark', 'moon', 'star', 'midnight', 'shadow', 'sleep', 'dusk', 'evening', 'black'],
    settings: ['a moonlit rooftop above a sleeping town', 'an empty road under a sky full of stars', 'a dim bedroom lit by a single window', 'a silent lakeside at midnight'],
    imagery: 'deep shadows, moonlight, scattered stars',
    moods: ['hushed', 'mysterious', 'restless'],
    lighting: 'low-key moonlight with cold rim light',
    hues: [230, 255, 200],
    tone: 'dark',
  },
  {
    name: 'fire',
    keywords: ['fire', 'burn', 'flame', 'heat', 'blaze', 'smoke', 'ash', 'spark', 'hot', 'ember'],
    settings: ['a bonfire in a dark field', 'a street glowing with embers and smoke', 'a burning horizon at the edge of a desert', 'a candle-filled room'],
    imagery: 'flames, drifting sparks, smoke',
    moods: ['smouldering', 'fierce', 'explosive'],
    lighting: 'flickering firelight with hard orange highlights',
    hues: [12, 30, 355],
    tone: 'warm',
  },
  {
    name: 'water',
    keywords: ['water', 'rain', 'sea', 'ocean', 'river', 'tear', 'wave', 'drown', 'flood', 'storm', 'shore', 'swim', 'cry'],
    settings: ['a rain-soaked window', 'a lonely beach at low tide', 'a river under a stone bridge', 'an underwater world of drifting light'],
    imagery: 'rain streaks, ripples, reflections',
    moods: ['melancholic', 'surging', 'torrential'],
    lighting: 'diffused grey-blue light with wet reflections',
    hues: [195, 210, 175],
    tone: 'cool',
  },
  {
    name: 'city',
    keywords: ['city', 'street', 'town', 'neon', 'traffic', 'subway', 'building', 'tower', 'block', 'downtown', 'avenue', 'crowd'],
    settings: ['a neon-lit street after rain', 'a crowded subway platform', 'a rooftop overlooking the skyline', 'an all-night diner on a corner'],
    imagery: 'neon signs, headlights, glass towers',
    moods: ['lonely', 'pulsing', 'electric'],
    lighting: 'mixed neon light, magenta and cyan',
    hues: [300, 190, 45],
    tone: 'dark',
  },
  {
    name: 'love',
    keywords: ['love', 'heart', 'kiss', 'hold', 'baby', 'darling', 'lover', 'touch', 'embrace', 'together', 'forever', 'mine'],
    settings: ['two silhouettes on a balcony', 'a sunlit kitchen in the morning', 'a slow dance in an empty hall', 'a hand-written letter on a bed'],
    imagery: 'intertwined hands, soft focus, warm glow',
    moods: ['tender', 'yearning', 'passionate'],
    lighting: 'soft golden key light with gentle bloom',
    hues: [345, 20, 330],
    tone: 'warm',
  },
  {
    name: 'road',
    keywords: ['road', 'drive', 'car', 'highway', 'mile', 'run', 'ride', 'wheel', 'leave', 'away', 'journey', 'travel', 'train', 'go'],
    settings: ['an endless highway through open country', 'a car interior at dawn', 'a gas station in the middle of nowhere', 'railway tracks vanishing into the distance'],
    imagery: 'motion blur, road lines, a distant horizon',
    moods: ['wistful', 'driven', 'breakneck'],
    lighting: 'low sun with long shadows and lens flare',
    hues: [35, 200, 15],
    tone: 'warm',
  },
  {
    name: 'sky',
    keywords: ['sky', 'fly', 'wing', 'cloud', 'heaven', 'bird', 'high', 'float', 'air', 'above', 'angel', 'falling', 'fall'],
    settings: ['a cliff edge above a sea of clouds', 'a field under a vast open sky', 'birds wheeling over rooftops', 'a hot-air balloon at sunrise'],
    imagery: 'towering clouds, birds in flight, open space',
    moods: ['weightless', 'soaring', 'euphoric'],
    lighting: 'bright high-key daylight with soft clouds',
    hues: [205, 220, 45],
    tone: 'bright',
  },
  {
    name: 'sun',
    keywords: ['sun', 'summer', 'light', 'shine', 'gold', 'golden', 'day', 'morning', 'warm', 'bright', 'dawn'],
    settings: ['a wheat field in golden hour', 'a summer beach at noon', 'sunlight through tall trees', 'a rooftop garden at dawn'],
    imagery: 'sun flares, golden dust, long light',
    moods: ['serene', 'joyful', 'radiant'],
    lighting: 'golden-hour sunlight, warm haze',
    hues: [45, 30, 190],
    tone: 'bright',
  },
  {
    name: 'winter',
    keywords: ['cold', 'snow', 'ice', 'winter', 'frozen', 'freeze', 'frost', 'white', 'december'],
    settings: ['a snow-covered forest road', 'a frozen lake at dusk', 'breath fogging in a cold street', 'a cabin window with frost'],
    imagery: 'falling snow, frost patterns, breath in the air',
    moods: ['still', 'bitter', 'stark'],
    lighting: 'pale cold daylight, blue shadows',
    hues: [200, 215, 185],
    tone: 'cool',
  },
  {
    name: 'dream',
    keywords: ['dream', 'memory', 'remember', 'ghost', 'wonder', 'magic', 'sleepwalk', 'fade', 'echo', 'mirror', 'time'],
    settings: ['a hallway of floating doors', 'a room where objects drift in the air', 'a mirror reflecting another world', 'a field of glowing flowers'],
    imagery: 'double exposure, floating objects, soft haze',
    moods: ['dreamy', 'uncanny', 'kaleidoscopic'],
    lighting: 'soft diffused glow with pastel haze',
    hues: [275, 320, 180],
    tone: 'bright',
  },
  {
    name: 'nature',
    keywords: ['tree', 'forest', 'flower', 'garden', 'mountain', 'field', 'grass', 'earth', 'wild', 'rose', 'leaf', 'valley'],
    settings: ['a misty forest clearing', 'a wildflower meadow', 'a mountain ridge at sunrise', 'an overgrown greenhouse'],
    imagery: 'leaves, mist, wildflowers',
    moods: ['peaceful', 'alive', 'untamed'],
    lighting: 'natural dappled light through foliage',
    hues: [120, 90, 40],
    tone: 'warm',
  },
  {
    name: 'dance',
    keywords: ['dance', 'party', 'club', 'move', 'body', 'floor', 'beat', 'music', 'song', 'sing', 'rhythm', 'tonight', 'jump'],
    settings: ['a packed dance floor under strobes', 'a warehouse party', 'a mirror ball over an empty floor', 'a street dance at a block party'],
    imagery: 'strobe light, silhouettes in motion, confetti',
    moods: ['groovy', 'pumping', 'ecstatic'],
    lighting: 'colored strobes and haze beams',
    hues: [285, 325, 175],
    tone: 'bright',
  },
  {
    name: 'struggle',
    keywords: ['fight', 'war', 'blood', 'pain', 'break', 'broken', 'scream', 'kill', 'lost', 'alone', 'lie', 'hurt', 'die', 'gun'],
    settings: ['an abandoned factory', 'a boxing ring under a single lamp', 'a cracked mirror in a dark room', 'a deserted battlefield at dusk'],
    imagery: 'broken glass, harsh contrast, dust in the air',
    moods: ['brooding', 'tense', 'furious'],
    lighting: 'hard top light with deep contrast',
    hues: [0, 20, 210],
    tone: 'dark',
  },
];

export const FALLBACK_THEME: Theme = {
  name: 'cinematic',
  keywords: [],
  settings: ['a wide landscape at the edge of a town', 'an empty theatre stage', 'a quiet room with a large window', 'a long corridor of light'],
  imagery: 'strong composition, atmospheric depth',
  moods: ['contemplative', 'expectant', 'intense'],
  lighting: 'motivated cinematic lighting',
  hues: [210, 30, 260],
  tone: 'cool',
};

export function themeByName(name: string | null | undefined): Theme | undefined {
  if (!name) return undefined;
  const n = name.trim().toLowerCase();
  return THEMES.find((t) => t.name === n) ?? THEMES.find((t) => n.includes(t.name));
}

function matches(theme: Theme, tokens: readonly string[]): number {
  let n = 0;
  for (const w of tokens) {
    for (const k of theme.keywords) {
      if (w === k || (k.length >= 4 && w.startsWith(k))) {
        n++;
        break;
      }
    }
  }
  return n;
}

/**
 * The best theme for weighted texts (e.g. the scene's lyrics ×2, the style ×1, the whole
 * song ×0.5); ties go to the earlier theme in THEMES; FALLBACK_THEME when nothing matches.
 */
export function scoreThemes(texts: readonly { text: string; weight: number }[]): Theme {
  const tokenized = texts.map((t) => ({ tokens: words(t.text), weight: t.weight }));
  let best: Theme = FALLBACK_THEME;
  let bestScore = 0;
  for (const theme of THEMES) {
    let score = 0;
    for (const t of tokenized) score += t.weight * matches(theme, t.tokens);
    if (score > bestScore + 1e-9) {
      best = theme;
      bestScore = score;
    }
  }
  return best;
}

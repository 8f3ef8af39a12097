/**
 * Colour palettes as models really write them, salvaged into omvee's form (3–5 "#rrggbb").
 *
 * Asked for `["#1b1f3a", …]`, models answer with that, or with one string ("#0B1026, #FF2E88,
 * #F5C26B"), colour names ("deep navy, neon magenta, amber"), names with codes ("Deep navy
 * (#0B1026)"), `rgb(…)`, or objects ({ "name": "navy", "hex": "#0b1026" }). The original
 * backend rejected whole answers over this one field; here a palette that cannot be read is
 * simply absent (null), never a reason to drop the prompt.
 */

/** CSS named colours (https://www.w3.org/TR/css-color-4/#named-colors), the ones models use. */
const CSS_COLOURS: Record<string, string> = {
  aliceblue: 'f0f8ff', antiquewhite: 'faebd7', aqua: '00ffff', aquamarine: '7fffd4', azure: 'f0ffff', beige: 'f5f5dc', bisque: 'ffe4c4',
  black: '000000', blanchedalmond: 'ffebcd', blue: '0000ff', blueviolet: '8a2be2', brown: 'a52a2a', burlywood: 'deb887', cadetblue: '5f9ea0',
  chartreuse: '7fff00', chocolate: 'd2691e', coral: 'ff7f50', cornflowerblue: '6495ed', cornsilk: 'fff8dc', crimson: 'dc143c', cyan: '00ffff',
  darkblue: '00008b', darkcyan: '008b8b', darkgoldenrod: 'b8860b', darkgray: 'a9a9a9', darkgreen: '006400', darkgrey: 'a9a9a9', darkkhaki: 'bdb76b',
  darkmagenta: '8b008b', darkolivegreen: '556b2f', darkorange: 'ff8c00', darkorchid: '9932cc', darkred: '8b0000', darksalmon: 'e9967a',
  darkseagreen: '8fbc8f', darkslateblue: '483d8b', darkslategray: '2f4f4f', darkslategrey: '2f4f4f', darkturquoise: '00ced1', darkviolet: '9400d3',
  deeppink: 'ff1493', deepskyblue: '00bfff', dimgray: '696969', dimgrey: '696969', dodgerblue: '1e90ff', firebrick: 'b22222', floralwhite: 'fffaf0',
  forestgreen: '228b22', fuchsia: 'ff00ff', gainsboro: 'dcdcdc', ghostwhite: 'f8f8ff', gold: 'ffd700', goldenrod: 'daa520', gray: '808080',
  grey: '808080', green: '008000', greenyellow: 'adff2f', honeydew: 'f0fff0', hotpink: 'ff69b4', indianred: 'cd5c5c', indigo: '4b0082',
  ivory: 'fffff0', khaki: 'f0e68c', lavender: 'e6e6fa', lavenderblush: 'fff0f5', lawngreen: '7cfc00', lemonchiffon: 'fffacd', lightblue: 'add8e6',
  lightcoral: 'f08080', lightcyan: 'e0ffff', lightgoldenrodyellow: 'fafad2', lightgray: 'd3d3d3', lightgreen: '90ee90', lightgrey: 'd3d3d3',
  lightpink: 'ffb6c1', lightsalmon: 'ffa07a', lightseagreen: '20b2aa', lightskyblue: '87cefa', lightslategray: '778899', lightslategrey: '778899',
  lightsteelblue: 'b0c4de', lightyellow: 'ffffe0', lime: '00ff00', limegreen: '32cd32', linen: 'faf0e6', magenta: 'ff00ff', maroon: '800000',
  mediumaquamarine: '66cdaa', mediumblue: '0000cd', mediumorchid: 'ba55d3', mediumpurple: '9370db', mediumseagreen: '3cb371',
  mediumslateblue: '7b68ee', mediumspringgreen: '00fa9a', mediumturquoise: '48d1cc', mediumvioletred: 'c71585', midnightblue: '191970',
  mintcream: 'f5fffa', mistyrose: 'ffe4e1', moccasin: 'ffe4b5', navajowhite: 'ffdead', navy: '000080', oldlace: 'fdf5e6', olive: '808000',
  olivedrab: '6b8e23', orange: 'ffa500', orangered: 'ff4500', orchid: 'da70d6', palegoldenrod: 'eee8aa', palegreen: '98fb98',
  paleturquoise: 'afeeee', palevioletred: 'db7093', papayawhip: 'ffefd5', peachpuff: 'ffdab9', peru: 'cd853f', pink: 'ffc0cb', plum: 'dda0dd',
  powderblue: 'b0e0e6', purple: '800080', rebeccapurple: '663399', red: 'ff0000', rosybrown: 'bc8f8f', royalblue: '4169e1', saddlebrown: '8b4513',
  salmon: 'fa8072', sandybrown: 'f4a460', seagreen: '2e8b57', seashell: 'fff5ee', sienna: 'a0522d', silver: 'c0c0c0', skyblue: '87ceeb',
  slateblue: '6a5acd', slategray: '708090', slategrey: '708090', snow: 'fffafa', springgreen: '00ff7f', steelblue: '4682b4', tan: 'd2b48c',
  teal: '008080', thistle: 'd8bfd8', tomato: 'ff6347', turquoise: '40e0d0', violet: 'ee82ee', wheat: 'f5deb3', white: 'ffffff',
  whitesmoke: 'f5f5f5', yellow: 'ffff00', yellowgreen: '9acd32',
};

/** Names models use that CSS does not have (common paint/design names). */
const MORE_COLOURS: Record<string, string> = {
  amber: 'ffbf00', burgundy: '800020', charcoal: '36454f', ochre: 'cc7722', sepia: '704214', mustard: 'e1ad01', rust: 'b7410e',
  emerald: '50c878', cobalt: '0047ab', scarlet: 'ff2400', cream: 'fffdd0', sand: 'c2b280', mauve: 'e0b0ff', lilac: 'c8a2c8',
  mint: '98ff98', peach: 'ffe5b4', copper: 'b87333', bronze: 'cd7f32', champagne: 'f7e7ce', obsidian: '0b1215', onyx: '353839',
  jet: '343434', ebony: '555d50', sapphire: '0f52ba', ruby: 'e0115f', jade: '00a86b', cerulean: '007ba7', vermilion: 'e34234',
  taupe: '483c32', slate: '708090', ink: '1b1f3a', midnight: '191970', smoke: '738276', ash: 'b2beb5', bone: 'e3dac9', blush: 'de5d83',
  rose: 'ff007f', wine: '722f37', aubergine: '3d0734', eggplant: '614051', ultramarine: '3f00ff', petrol: '005f6a', moss: '8a9a5b',
  sage: 'b2ac88', umber: '635147', terracotta: 'e2725b', brick: 'cb4154', neon: '39ff14', electricblue: '7df9ff', burntorange: 'cc5500',
  offwhite: 'f8f8f0', gunmetal: '2a3439', steel: '71797e', chrome: 'dbe4eb', pearl: 'eae0c8', lemon: 'fff700', honey: 'eba937',
  caramel: 'af6f09', coffee: '6f4e37', espresso: '4b3621', denim: '1560bd', sky: '87ceeb', ice: 'd6ecef', frost: 'e1e9ee', fog: 'd3d8dc',
  shadow: '2b2b2b',
};

/** Words before a colour name that shift it (applied after the base colour is found). */
const DARKER = new Set(['deep', 'dark', 'darker', 'midnight', 'shadowy', 'inky', 'rich']);
const LIGHTER = new Set(['light', 'lighter', 'pale', 'soft', 'pastel', 'powder', 'washed', 'misty', 'faint']);
const BRIGHTER = new Set(['neon', 'electric', 'vivid', 'bright', 'hot', 'fluorescent', 'glowing', 'saturated', 'acid']);
const MUTED = new Set(['muted', 'dusty', 'faded', 'desaturated', 'smoky', 'grey', 'gray', 'greyish', 'grayish', 'dull']);

const HEX6 = /^[0-9a-f]{6}$/;

function clampByte(x: number): number {
  return Math.max(0, Math.min(255, Math.round(x)));
}

function toHex(r: number, g: number, b: number): string {
  return `#${[r, g, b].map((v) => clampByte(v).toString(16).padStart(2, '0')).join('')}`;
}

function rgbOf(hex: string): [number, number, number] {
  return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
}

function shift(hex: string, modifiers: readonly string[]): string {
  let [r, g, b] = rgbOf(hex);
  for (const m of modifiers) {
    if (DARKER.has(m)) [r, g, b] = [r * 0.55, g * 0.55, b * 0.55];
    else if (LIGHTER.has(m)) [r, g, b] = [r + (255 - r) * 0.45, g + (255 - g) * 0.45, b + (255 - b) * 0.45];
    else if (BRIGHTER.has(m)) {
      // push the colour away from its grey: more saturated, never darker
      const mean = (r + g + b) / 3;
      [r, g, b] = [mean + (r - mean) * 1.5, mean + (g - mean) * 1.5, mean + (b - mean) * 1.5];
      const top = Math.max(r, g, b);
      if (top > 0 && top < 255) [r, g, b] = [(r * 255) / top, (g * 255) / top, (b * 255) / top];
    } else if (MUTED.has(m)) {
      const mean = (r + g + b) / 3;
      [r, g, b] = [mean + (r - mean) * 0.5, mean + (g - mean) * 0.5, mean + (b - mean) * 0.5];
    }
  }
  return toHex(r, g, b);
}

/** One colour name ("neon magenta", "midnight blue", "burnt orange") → "#rrggbb", or null. */
export function colourFromName(name: string): string | null {
  const words = name.toLowerCase().replace(/[^a-z\s-]/g, ' ').split(/[\s-]+/).filter(Boolean);
  if (words.length === 0) return null;
  const lookup = (key: string): string | undefined => CSS_COLOURS[key] ?? MORE_COLOURS[key];
  // the longest known name at the end of the phrase wins; words before it modify it
  for (let start = 0; start < words.length; start++) {
    const hex = lookup(words.slice(start).join(''));
    if (hex) return start === 0 ? `#${hex}` : shift(hex, words.slice(0, start));
  }
  // "blue-ish", "navy tones": the first known word, modified by the words before it
  for (let i = 0; i < words.length; i++) {
    const hex = lookup(words[i]!.replace(/ish$/, ''));
    if (hex) return shift(hex, words.slice(0, i));
  }
  return null;
}

function normaliseHex(raw: string): string {
  const h = raw.replace(/^#/, '').toLowerCase();
  return `#${h.length === 3 ? [...h].map((c) => c + c).join('') : h}`;
}

/** Colours in one piece of text: hex codes and rgb() first; otherwise names between separators. */
function coloursInText(text: string): string[] {
  const codes: string[] = [];
  for (const m of text.matchAll(/#([0-9a-f]{6}|[0-9a-f]{3})(?![0-9a-z])|rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*[,)]|(?<![0-9a-z#])([0-9a-f]{6})(?![0-9a-z])/gi)) {
    if (m[1]) codes.push(normaliseHex(m[1]));
    else if (m[2]) codes.push(toHex(Number(m[2]), Number(m[3]), Number(m[4])));
    else if (m[5] && /\d/.test(m[5])) codes.push(normaliseHex(m[5])); // a bare code like 0B1026 (a digit: not a word)
  }
  if (codes.length > 0) return codes;
  return text
    .split(/[,;/|\n+&]|\band\b|\bwith\b/i)
    .map((part) => colourFromName(part))
    .filter((c): c is string => c !== null);
}

/**
 * Salvage a palette from whatever the model sent. Returns up to 5 distinct "#rrggbb" colours,
 * or null when nothing in it reads as a colour.
 */
export function salvagePalette(value: unknown): string[] | null {
  const out: string[] = [];
  const take = (v: unknown): void => {
    if (typeof v === 'string') out.push(...coloursInText(v));
    else if (Array.isArray(v)) v.forEach(take);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const direct = o['hex'] ?? o['code'] ?? o['color'] ?? o['colour'] ?? o['value'];
      if (direct !== undefined) take(direct);
      else if (typeof o['name'] === 'string') take(o['name']);
    }
  };
  take(value);
  const unique = [...new Set(out.filter((c) => HEX6.test(c.slice(1))))].slice(0, 5);
  return unique.length > 0 ? unique : null;
}

/**
 * The receipt logo: a small monochrome bitmap drawn in code, so no image file, canvas or native image library
 * is needed. The encoder accepts any `{ width, height, data }` RGBA object in place of a canvas ImageData.
 */
export type MonochromeImage = {
  readonly width: number;
  readonly height: number;
  /** RGBA, four bytes per pixel, row by row; black (0,0,0,255) prints, white (255,255,255,255) does not. */
  readonly data: Uint8ClampedArray;
};

/** Both multiples of 8, so the raster the printer receives has exactly this size. */
export const LOGO_WIDTH = 128;
export const LOGO_HEIGHT = 48;

/** True where the logo is black: a frame with rounded corners around a shopping bag with a handle. */
function isInk(x: number, y: number): boolean {
  const w = LOGO_WIDTH;
  const h = LOGO_HEIGHT;
  const r = 8;
  // The frame, 3 dots wide, with rounded corners.
  const cx = x < r ? r : x >= w - r ? w - r - 1 : x;
  const cy = y < r ? r : y >= h - r ? h - r - 1 : y;
  const d2 = (x - cx) ** 2 + (y - cy) ** 2;
  const inCorner = cx !== x && cy !== y;
  if (inCorner) {
    if (d2 <= r * r && d2 >= (r - 3) ** 2) return true;
  } else if (x < 3 || x >= w - 3 || y < 3 || y >= h - 3) {
    return true;
  }
  // The bag: a filled trapezoid with a handle above it.
  const bagTop = 18;
  const bagBottom = 40;
  if (y >= bagTop && y <= bagBottom) {
    const inset = Math.floor((bagBottom - y) / 4);
    if (x >= 48 + inset && x <= 79 - inset) return true;
  }
  const hx = x - 64;
  const hy = y - 18;
  const h2 = hx * hx + hy * hy;
  return y < bagTop && h2 <= 100 && h2 >= 49;
}

export function createLogoImage(): MonochromeImage {
  const data = new Uint8ClampedArray(LOGO_WIDTH * LOGO_HEIGHT * 4);
  for (let y = 0; y < LOGO_HEIGHT; y++) {
    for (let x = 0; x < LOGO_WIDTH; x++) {
      const value = isInk(x, y) ? 0 : 255;
      const i = (y * LOGO_WIDTH + x) * 4;
      data[i] = value;
      data[i + 1] = value;
      data[i + 2] = value;
      data[i + 3] = 255;
    }
  }
  return { width: LOGO_WIDTH, height: LOGO_HEIGHT, data };
}

/** The logo as an inline SVG for the preview: one rectangle per horizontal run of black dots. */
export function logoSvg(image: MonochromeImage): string {
  const runs: string[] = [];
  for (let y = 0; y < image.height; y++) {
    let start = -1;
    for (let x = 0; x <= image.width; x++) {
      const black = x < image.width && (image.data[(y * image.width + x) * 4] ?? 255) < 128;
      if (black && start < 0) start = x;
      if (!black && start >= 0) {
        runs.push(`M${start} ${y}h${x - start}v1h${start - x}z`);
        start = -1;
      }
    }
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}" viewBox="0 0 ${image.width} ${image.height}"><path d="${runs.join('')}"/></svg>`;
}

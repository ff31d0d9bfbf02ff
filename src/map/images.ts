/** Map symbols drawn on a canvas at runtime (no sprite files). */
import type { Map as MlMap } from 'maplibre-gl';
import { COLOURS } from './style';

const RATIO = 2;

function draw(size: number, paint: (ctx: CanvasRenderingContext2D, s: number) => void): ImageData | undefined {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size * RATIO;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  ctx.scale(RATIO, RATIO);
  paint(ctx, size);
  return ctx.getImageData(0, 0, size * RATIO, size * RATIO);
}

/** Dashed ring marking an approximate (or example) position (the legend draws the same ring in CSS). */
export function paintApproxRing(ctx: CanvasRenderingContext2D, s: number): void {
  ctx.beginPath();
  ctx.arc(s / 2, s / 2, s / 2 - 2, 0, Math.PI * 2);
  ctx.setLineDash([3.5, 2.5]);
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#4a148c';
  ctx.stroke();
}

export function paintIntake(ctx: CanvasRenderingContext2D, s: number): void {
  const c = s / 2;
  ctx.beginPath();
  ctx.moveTo(c, 1);
  ctx.lineTo(s - 1, c);
  ctx.lineTo(c, s - 1);
  ctx.lineTo(1, c);
  ctx.closePath();
  ctx.fillStyle = COLOURS.intake;
  ctx.fill();
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(c, c, s / 7, 0, Math.PI * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
}

export const IMAGES: { id: string; size: number; paint: (ctx: CanvasRenderingContext2D, s: number) => void }[] = [
  { id: 'approx-ring', size: 30, paint: paintApproxRing },
  { id: 'intake', size: 14, paint: paintIntake },
];

export function addImages(map: MlMap): void {
  for (const img of IMAGES) {
    if (map.hasImage(img.id)) continue;
    const data = draw(img.size, img.paint);
    if (data) map.addImage(img.id, data, { pixelRatio: RATIO });
  }
}

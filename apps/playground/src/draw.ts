import { SIDE } from './config.js';

/** Ink fits a 20×20 box inside the 28×28 image, centred on its centre of mass, as MNIST's digits were prepared. */
const BOX = 20;

/**
 * A drawing surface: white strokes on black, drawn with the pointer; `onDrawn` is called when a
 * stroke ends.
 */
export function drawingPad(canvas: HTMLCanvasElement, onDrawn: () => void): { clear(): void } {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const clear = (): void => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  let last: { x: number; y: number } | null = null;
  const at = (event: PointerEvent): { x: number; y: number } => {
    const rect = canvas.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) * canvas.width) / rect.width, y: ((event.clientY - rect.top) * canvas.height) / rect.height };
  };
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = at(event);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!last) return;
    const p = at(event);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 12;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
  });
  const end = (): void => {
    if (!last) return;
    last = null;
    onDrawn();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return { clear };
}

/**
 * The drawing as a 28×28 image in [0, 1], prepared as MNIST's digits: the ink's bounding box
 * scaled to fit 20×20, then shifted so that its centre of mass is the image's centre. Null when
 * nothing is drawn.
 */
export function toDigit(canvas: HTMLCanvasElement): Float32Array | null {
  const { width, height } = canvas;
  const source = canvas.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, width, height).data;
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (source[(y * width + x) * 4]! > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = BOX / Math.max(w, h);
  const small = document.createElement('canvas');
  small.width = SIDE;
  small.height = SIDE;
  const sctx = small.getContext('2d', { willReadFrequently: true })!;
  sctx.fillStyle = '#000';
  sctx.fillRect(0, 0, SIDE, SIDE);
  sctx.imageSmoothingQuality = 'high';
  sctx.drawImage(canvas, x0, y0, w, h, (SIDE - w * scale) / 2, (SIDE - h * scale) / 2, w * scale, h * scale);
  const pixels = sctx.getImageData(0, 0, SIDE, SIDE).data;
  const image = new Float32Array(SIDE * SIDE);
  let mass = 0,
    mx = 0,
    my = 0;
  for (let i = 0; i < image.length; i++) {
    const v = pixels[i * 4]! / 255;
    image[i] = v;
    mass += v;
    mx += v * (i % SIDE);
    my += v * Math.floor(i / SIDE);
  }
  const dx = Math.round((SIDE - 1) / 2 - mx / mass);
  const dy = Math.round((SIDE - 1) / 2 - my / mass);
  const centred = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE) centred[y * SIDE + x] = image[sy * SIDE + sx]!;
    }
  }
  return centred;
}

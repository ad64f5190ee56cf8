/**
 * Writes a PNG atlas of every plane class (rows) x a few instances (columns) of the anatomy
 * maps, log-mapped to grey, to inspect the drawings by eye.
 * Usage: node render-atlas.js OUT.png [--instances=3] [--size=256] [--seed=1] [--phase=0] [--classes=4CH,LVOT] [--gaze]
 * --gaze marks the gaze targets with red crosses (arm length grows with weight).
 */
import { writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { Rng } from '../../util/rng.js';
import { isPlaneClass, PLANE_CLASSES } from '../planes.js';
import { gazeTargets, renderAnatomy, sampleAnatomy } from './index.js';

const GAP = 4;

function main(argv: string[]): void {
  const outPath = argv.find((a) => !a.startsWith('--'));
  if (!outPath) throw new Error('usage: render-atlas OUT.png [--instances=3] [--size=256] [--seed=1] [--phase=0] [--classes=a,b]');
  const flag = (name: string, fallback: string): string =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  const instances = Number(flag('instances', '3'));
  const size = Number(flag('size', '256'));
  const seed = Number(flag('seed', '1'));
  const phase = Number(flag('phase', '0'));
  const classes = flag('classes', PLANE_CLASSES.join(',')).split(',').filter(isPlaneClass);
  const showGaze = argv.includes('--gaze');
  const width = instances * (size + GAP) + GAP;
  const height = classes.length * (size + GAP) + GAP;
  const png = new PNG({ width, height });
  png.data.fill(255);
  const raster = new Float32Array(size * size);
  const k = 12;
  const norm = Math.log1p(k * 1.5);
  const rng = new Rng(seed);
  classes.forEach((cls, row) => {
    for (let col = 0; col < instances; col++) {
      const inst = sampleAnatomy(cls, rng.fork(`${cls}:${col}`));
      renderAnatomy(inst, phase, size, raster);
      const ox = GAP + col * (size + GAP);
      const oy = GAP + row * (size + GAP);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const v = raster[y * size + x] as number;
          const grey = Math.max(0, Math.min(255, Math.round((255 * Math.log1p(k * v)) / norm)));
          const p = ((oy + y) * width + ox + x) * 4;
          png.data[p] = grey;
          png.data[p + 1] = grey;
          png.data[p + 2] = grey;
          png.data[p + 3] = 255;
        }
      }
      if (showGaze) {
        for (const g of gazeTargets(inst)) {
          const cx = Math.round(g.x * (size - 1));
          const cy = Math.round(g.y * (size - 1));
          const arm = 2 + Math.round(10 * g.weight);
          for (let d = -arm; d <= arm; d++) {
            for (const [x, y] of [
              [cx + d, cy],
              [cx, cy + d],
            ] as const) {
              if (x < 0 || y < 0 || x >= size || y >= size) continue;
              const p = ((oy + y) * width + ox + x) * 4;
              png.data[p] = 255;
              png.data[p + 1] = 0;
              png.data[p + 2] = 0;
            }
          }
        }
      }
    }
  });
  writeFileSync(outPath, PNG.sync.write(png));
  console.log(`wrote ${outPath}: ${classes.length} classes x ${instances} instances at ${size}px`);
}

main(process.argv.slice(2));

export interface Point {
  x: number;
  y: number;
}

/**
 * An orthonormal (possibly mirrored) local coordinate frame in anatomy space:
 * world = origin + u * a + v * b. Anatomy is described in the local (u, v) of a body part
 * (e.g. u towards the spine, v towards the fetus's left), so rotation and mirroring come free.
 */
export class Frame {
  constructor(
    readonly ox: number,
    readonly oy: number,
    readonly ax: number,
    readonly ay: number,
    readonly bx: number,
    readonly by: number,
  ) {}

  static readonly world = new Frame(0, 0, 1, 0, 0, 1);

  /** Frame at (x, y) whose u axis points at `angle` (radians, y down); flip = -1 mirrors v. */
  static at(x: number, y: number, angle: number, flip: number): Frame {
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const f = flip < 0 ? -1 : 1;
    return new Frame(x, y, c, s, -s * f, c * f);
  }

  point(u: number, v: number): Point {
    return { x: this.ox + u * this.ax + v * this.bx, y: this.oy + u * this.ay + v * this.by };
  }

  /** Local coordinates of a world point. */
  local(x: number, y: number): { u: number; v: number } {
    const dx = x - this.ox;
    const dy = y - this.oy;
    return { u: dx * this.ax + dy * this.ay, v: dx * this.bx + dy * this.by };
  }

  /** World direction of the local direction at angle `rot` from the u axis (towards v). */
  dir(rot: number): Point {
    const c = Math.cos(rot);
    const s = Math.sin(rot);
    return { x: c * this.ax + s * this.bx, y: c * this.ay + s * this.by };
  }

  /** A sub-frame at local (u, v), its u axis along local angle `rot`; flip = -1 mirrors its v axis. */
  child(u: number, v: number, rot: number, flip = 1): Frame {
    const o = this.point(u, v);
    const a = this.dir(rot);
    const b = this.dir(rot + Math.PI / 2);
    const f = flip < 0 ? -1 : 1;
    return new Frame(o.x, o.y, a.x, a.y, b.x * f, b.y * f);
  }
}

import type { Tensor } from '@loom/core';
import { absMax, copyOf, dot } from './flat-vector.js';

/**
 * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to
 * `bounds` (default: between x1 and x2); the bounds' midpoint when the cubic has no minimum.
 * Ported from PyTorch's `_cubic_interpolate` (after torch/optim's polyinterp.lua).
 * @param x1 - the first point (a step length)
 * @param f1 - the function's value at `x1`
 * @param g1 - its slope (directional derivative) at `x1`
 * @param x2 - the second point; `x1` and `x2` may come in either order
 * @param f2 - the function's value at `x2`
 * @param g2 - its slope at `x2`
 * @param bounds - `[min, max]` the result is clamped to; by default the interval between `x1` and `x2`
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: readonly [number, number],
): number {
  const [xminBound, xmaxBound] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos =
      x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return pyMin(pyMax(minPos, xminBound), xmaxBound);
  }
  return (xminBound + xmaxBound) / 2;
}

/** Evaluates the objective at x + t·d: its value and flat gradient (parameters left at x). */
export type DirectionalObjective = (x: Tensor[], t: number, d: Tensor) => [number, Tensor];

/** Where the strong Wolfe line search stopped. */
export interface LineSearchResult {
  f: number;
  g: Tensor;
  t: number;
  funcEvals: number;
}

/**
 * A line search along `d` from x (value `f`, gradient `g`, directional derivative `gtd`) for a step
 * `t` satisfying the strong Wolfe conditions: bracketing, then zoom by cubic interpolation.
 * Ported from PyTorch's `_strong_wolfe` (after torch/optim's lswolfe.lua), branch for branch, so
 * that function-evaluation counts match.
 * @param objective - evaluates the loss and flat gradient at x + t·d, leaving the parameters at x
 * @param x - the parameters at the start of the search, only passed on to `objective` (LBFGS passes copies)
 * @param tInit - the first step length tried
 * @param d - the search direction, a flat vector of all parameters
 * @param f - the loss at x
 * @param gInit - the flat gradient at x (copied, not changed)
 * @param gtd - the directional derivative gᵀd at x; negative for a descent direction
 * @param c1 - the sufficient-decrease (Armijo) constant: f(x + t·d) ≤ f + c1·t·gtd; default 1e-4
 * @param c2 - the curvature constant: |g(x + t·d)ᵀd| ≤ −c2·gtd; default 0.9 (0 < c1 < c2 < 1, as the
 *   Wolfe conditions need; not checked)
 * @param toleranceChange - the zoom stops once the bracket, times max|d|, is shorter than this; default 1e-9
 * @param maxLs - the most objective evaluations after the first (bracketing and zoom together); default 25
 */
export function strongWolfe(
  objective: DirectionalObjective,
  x: Tensor[],
  tInit: number,
  d: Tensor,
  f: number,
  gInit: Tensor,
  gtd: number,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
  maxLs = 25,
): LineSearchResult {
  let t = tInit;
  const dNorm = absMax(d);
  const g = copyOf(gInit);
  let [fNew, gNew] = objective(x, t, d);
  let funcEvals = 1;
  let gtdNew = dot(gNew, d);

  // Bracket an interval containing a point satisfying the Wolfe criteria.
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [
        [tPrev, t],
        [fPrev, fNew],
        [gPrev, copyOf(gNew)],
        [gtdPrev, gtdNew],
      ];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bracketF, bracketG, bracketGtd] = [
        [tPrev, t],
        [fPrev, fNew],
        [gPrev, copyOf(gNew)],
        [gtdPrev, gtdNew],
      ];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = copyOf(gNew);
    gtdPrev = gtdNew;
    [fNew, gNew] = objective(x, t, d);
    funcEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [
      [0, t],
      [f, fNew],
      [g, gNew],
    ];
  }

  // Zoom: refine the bracket until a point satisfies the criteria.
  let insufProgress = false;
  let [low, high] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
    // Too close to an end of the bracket: after one such step, or at/outside it, move 0.1 of
    // the bracket's length inside.
    const hi = pyMax(bracket[0]!, bracket[1]!);
    const lo = pyMin(bracket[0]!, bracket[1]!);
    const eps = 0.1 * (hi - lo);
    if (pyMin(hi - t, t - lo) < eps) {
      if (insufProgress || t >= hi || t <= lo) {
        t = Math.abs(t - hi) < Math.abs(t - lo) ? hi - eps : lo + eps;
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    [fNew, gNew] = objective(x, t, d);
    funcEvals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]!) {
      // Armijo condition not met, or not below the lowest point: the new point is the high end.
      bracket[high] = t;
      bracketF[high] = fNew;
      bracketG[high] = copyOf(gNew);
      bracketGtd[high] = gtdNew;
      [low, high] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[high]! - bracket[low]!) >= 0) {
        bracket[high] = bracket[low]!;
        bracketF[high] = bracketF[low]!;
        bracketG[high] = bracketG[low]!;
        bracketGtd[high] = bracketGtd[low]!;
      }
      bracket[low] = t;
      bracketF[low] = fNew;
      bracketG[low] = copyOf(gNew);
      bracketGtd[low] = gtdNew;
    }
  }
  return { f: bracketF[low]!, g: bracketG[low]!, t: bracket[low]!, funcEvals };
}

/** Python's `max(a, b)`: `a` unless `b > a` (so NaN handling follows Python, not Math.max). */
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}

/** Python's `min(a, b)`: `a` unless `b < a`. */
function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

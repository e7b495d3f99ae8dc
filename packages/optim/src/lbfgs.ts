import { checkNonNegative } from './validation.js';
import { type FloatArray, positionalOptions, RowSparseTensor, Tensor } from '@loom/core';
import { absMax, absSum, addScaled_, copy_, copyOf, difference, dot, scaled, zerosVector } from './flat-vector.js';
import { strongWolfe } from './lbfgs-line-search.js';
import {
  checkStepArguments,
  type Closure,
  type Loss,
  Optimizer,
  type OptimizerArgs,
  type ParamGroup,
  type ParamState,
  type Params,
} from './optimizer.js';
import { checkScalarState, checkStateKeys, checkTensorState } from './state-checks.js';

/** LBFGS's options (PyTorch's names, camelCased). */
export interface LBFGSOptions {
  /** Learning rate: the step length tried along the direction (the first iteration scales it by min(1, 1/Σ|g|)). Default 1. */
  lr: number;
  /** Iterations per `step()`. */
  maxIter: number;
  /** Function evaluations per `step()` (default maxIter·5/4, rounded down). */
  maxEval: number;
  /** Stop when the largest gradient element is at most this. */
  toleranceGrad: number;
  /** Stop when the function value or the parameters change less than this. */
  toleranceChange: number;
  /** Number of curvature pairs kept for the inverse-Hessian approximation. Default 100. */
  historySize: number;
  /** `null` (default): fixed step `lr`; 'strong_wolfe': a line search for a step satisfying the strong Wolfe conditions. */
  lineSearchFn: null | 'strong_wolfe';
}

/** PyTorch's defaults, except `maxEval`, which follows `maxIter`. */
export const LBFGS_DEFAULTS: Readonly<Omit<LBFGSOptions, 'maxEval'>> = {
  lr: 1,
  maxIter: 20,
  toleranceGrad: 1e-7,
  toleranceChange: 1e-9,
  historySize: 100,
  lineSearchFn: null,
};

/**
 * L-BFGS, as `torch.optim.LBFGS` (1.13; after minFunc), on the flattened vector of all parameters.
 * One parameter group only. `step(closure)` calls the closure (which recomputes gradients and
 * returns the loss) up to `maxEval` times. Its state, kept under the first parameter as in
 * PyTorch, holds `funcEvals`, `nIter`, the direction `d`, step `t`, the curvature history
 * (`oldDirs`, `oldStps`, `ro`, `hDiag`, `al`), `prevFlatGrad` and `prevLoss`.
 */
export class LBFGS extends Optimizer<LBFGSOptions> {
  /**
   * Checks the options and builds the one parameter group.
   * @param params - the tensors to optimize; more than one parameter group throws
   * @param args - PyTorch's positional `lr`, then an options object (see {@link LBFGSOptions}), both optional; unknown keys
   *   throw, and `maxEval` defaults to ⌊maxIter·5/4⌋
   */
  constructor(params: Params<LBFGSOptions>, ...args: OptimizerArgs<LBFGSOptions>) {
    // maxEval's default follows maxIter, so the options are read once before the base reads them.
    const known = [...Object.keys(LBFGS_DEFAULTS), 'maxEval'] as (keyof LBFGSOptions)[];
    const maxIter = positionalOptions<LBFGSOptions>('LBFGS', args, ['lr'], known).maxIter ?? LBFGS_DEFAULTS.maxIter;
    super(params, { ...LBFGS_DEFAULTS, maxEval: Math.floor((maxIter * 5) / 4) }, args, { name: 'LBFGS', validate: validateLBFGS });
    if (this.paramGroups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
  }

  /**
   * The state LBFGS keeps under its first parameter: counters, the direction and curvature history as flat vectors.
   * @param p - the parameter the state is saved under: it must be the group's first
   * @param state - the saved state: `funcEvals` and `nIter` required, vectors of the length of all parameters together
   * @param group - the one parameter group
   * @param where - the start of the error message
   */
  protected override checkLoadedState(p: Tensor, state: ParamState, group: ParamGroup<LBFGSOptions>, where: string): void {
    const scalars = ['funcEvals', 'nIter', 't', 'hDiag', 'prevLoss'];
    const vectors = ['d', 'prevFlatGrad'];
    const lists = ['oldDirs', 'oldStps', 'ro', 'al'];
    checkStateKeys(where, 'LBFGS', state, [...scalars, ...vectors, ...lists], ['funcEvals', 'nIter']);
    if (p !== group.params[0]) throw new RangeError(`${where}: LBFGS keeps its state under the first parameter only`);
    const total = [group.params.reduce((n, q) => n + q.numel, 0)];
    for (const key of scalars) checkScalarState(where, key, state[key]);
    for (const key of vectors) checkTensorState(where, key, state[key], total);
    for (const key of ['oldDirs', 'oldStps']) {
      const list = state[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new RangeError(`${where}: '${key}' must be a list of tensors`);
      list.forEach((t, i) => checkTensorState(where, `${key}[${i}]`, t, total));
    }
  }

  /**
   * Up to `maxIter` iterations of L-BFGS (fewer when a tolerance is met or `maxEval` evaluations are spent); returns
   * the loss the first call of the closure returned.
   * @param closure - clears and recomputes the gradients and returns the loss (a number or a one-element tensor);
   *   required (a TypeError without it), called up to `maxEval` times
   * @param extra - arguments past those taken: none are, so any throws rather than being ignored
   */
  step<L extends Loss>(closure?: Closure<L>, ...extra: never[]): L | undefined {
    checkStepArguments('LBFGS.step', closure, extra);
    if (closure === undefined) throw new TypeError('LBFGS.step: a closure that recomputes the loss is required');
    if (this.paramGroups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
    const group = this.paramGroups[0]!;
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    if (lineSearchFn !== null && lineSearchFn !== 'strong_wolfe') throw new RangeError("only 'strong_wolfe' is supported");
    const params = group.params;
    const state = this.state.get(params[0]!) ?? { funcEvals: 0, nIter: 0 };
    this.state.set(params[0]!, state);
    const evaluate = (): number => toNumber(closure());

    const origLoss = closure();
    let loss = toNumber(origLoss);
    let currentEvals = 1;
    state.funcEvals = (state.funcEvals as number) + 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = absMax(flatGrad) <= toleranceGrad;
    if (optCond) return origLoss;

    let d = state.d as Tensor | undefined;
    let t = state.t as number | undefined;
    let oldDirs = state.oldDirs as Tensor[] | undefined;
    let oldStps = state.oldStps as Tensor[] | undefined;
    let ro = state.ro as number[] | undefined;
    let hDiag = state.hDiag as number | undefined;
    let prevFlatGrad = state.prevFlatGrad as Tensor | undefined;
    let prevLoss = state.prevLoss as number | undefined;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.nIter = (state.nIter as number) + 1;

      // The descent direction.
      if (state.nIter === 1 || d === undefined || oldDirs === undefined || oldStps === undefined || ro === undefined) {
        d = scaled(flatGrad, -1);
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = difference(flatGrad, prevFlatGrad!);
        const s = scaled(d, t!);
        const ys = dot(y, s);
        if (ys > 1e-10) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(1 / ys);
          hDiag = ys / dot(y, y);
        }
        d = this.twoLoopDirection(state, flatGrad, oldDirs, oldStps, ro, hDiag!, historySize);
      }
      if (prevFlatGrad === undefined) prevFlatGrad = copyOf(flatGrad);
      else copy_(prevFlatGrad, flatGrad);
      prevLoss = loss;

      // The step length.
      if (state.nIter === 1) {
        const inverse = 1 / absSum(flatGrad);
        t = (inverse < 1 ? inverse : 1) * lr;
      } else {
        t = lr;
      }
      const gtd = dot(flatGrad, d);
      if (gtd > -toleranceChange) break;

      let lsFuncEvals = 0;
      if (lineSearchFn === 'strong_wolfe') {
        const xInit = params.map((p) => copyOf(p));
        const direction = d;
        const result = strongWolfe(
          (x, step, dir) => this.directionalEvaluate(evaluate, x, step, dir),
          xInit,
          t,
          direction,
          loss,
          flatGrad,
          gtd,
        );
        ({ f: loss, g: flatGrad, t, funcEvals: lsFuncEvals } = result);
        this.addGrad(t, d);
        optCond = absMax(flatGrad) <= toleranceGrad;
      } else {
        this.addGrad(t, d);
        // The last iteration does not re-evaluate: in a stochastic setting it would be wasted.
        if (nIter !== maxIter) {
          loss = evaluate();
          flatGrad = this.gatherFlatGrad();
          optCond = absMax(flatGrad) <= toleranceGrad;
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.funcEvals = (state.funcEvals as number) + lsFuncEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (absMax(scaled(d, t)) <= toleranceChange) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    Object.assign(state, { d, t, oldDirs, oldStps, ro, hDiag, prevFlatGrad, prevLoss });
    return origLoss;
  }

  /** The two-loop recursion: −H·g for the inverse Hessian approximation H of the history. */
  private twoLoopDirection(
    state: ParamState,
    flatGrad: Tensor,
    oldDirs: Tensor[],
    oldStps: Tensor[],
    ro: number[],
    hDiag: number,
    historySize: number,
  ): Tensor {
    const numOld = oldDirs.length;
    state.al ??= new Array<number>(historySize).fill(0);
    const al = state.al as number[];
    const q = scaled(flatGrad, -1);
    for (let i = numOld - 1; i >= 0; i--) {
      al[i] = dot(oldStps[i]!, q) * ro[i]!;
      addScaled_(q, -al[i]!, oldDirs[i]!);
    }
    const r = scaled(q, hDiag);
    for (let i = 0; i < numOld; i++) {
      const beI = dot(oldDirs[i]!, r) * ro[i]!;
      addScaled_(r, al[i]! - beI, oldStps[i]!);
    }
    return r;
  }

  /** All gradients as one new flat vector (zeros for a parameter without one). */
  private gatherFlatGrad(): Tensor {
    const params = this.paramGroups[0]!.params;
    const total = params.reduce((n, p) => n + p.numel, 0);
    const flat = zerosVector(total, params[0]!.dtype);
    let offset = 0;
    for (const p of params) {
      const g = p.grad;
      if (g !== null) {
        const dense = g instanceof RowSparseTensor ? g.toDense() : g;
        // flat's array is fetched after toDense, whose allocation may move flat's region.
        (flat.data() as FloatArray).set(dense.toArray() as FloatArray, offset);
      }
      offset += p.numel;
    }
    return flat;
  }

  /** θ ← θ + step·update, over the flattened parameters. */
  private addGrad(step: number, update: Tensor): void {
    const u = update.data() as FloatArray;
    let offset = 0;
    for (const p of this.paramGroups[0]!.params) {
      const values = contiguousData(p);
      for (let i = 0; i < values.length; i++) values[i] = values[i]! + step * u[offset + i]!;
      offset += values.length;
    }
  }

  /** The loss and flat gradient at x + t·d; the parameters are put back to x. */
  private directionalEvaluate(evaluate: () => number, x: Tensor[], t: number, d: Tensor): [number, Tensor] {
    this.addGrad(t, d);
    const loss = evaluate();
    const flatGrad = this.gatherFlatGrad();
    this.paramGroups[0]!.params.forEach((p, i) => contiguousData(p).set(x[i]!.data() as FloatArray));
    return [loss, flatGrad];
  }
}

/**
 * LBFGS's checks: PyTorch 1.13 makes none (a negative lr climbs the loss), and reads
 * `lineSearchFn` only at `step()`; Loom refuses a bad value at once.
 */
function validateLBFGS(o: Partial<LBFGSOptions>): void {
  checkNonNegative(o.lr, 'learning rate');
  if (o.lineSearchFn !== undefined && o.lineSearchFn !== null && o.lineSearchFn !== 'strong_wolfe') {
    throw new RangeError(`LBFGS: only 'strong_wolfe' is supported as lineSearchFn, got ${JSON.stringify(o.lineSearchFn)}`);
  }
  for (const key of ['maxIter', 'maxEval', 'historySize'] as const) {
    const v = o[key];
    if (v !== undefined && !(Number.isInteger(v) && v > 0))
      throw new RangeError(`LBFGS: ${key} must be a positive integer, got ${String(v)}`);
  }
}

function contiguousData(p: Tensor): FloatArray {
  if (!p.isContiguous()) throw new TypeError('LBFGS: parameters must be contiguous');
  p.storage.bumpVersion('LBFGS.step');
  return p.data() as FloatArray;
}

function toNumber(loss: Loss): number {
  return loss instanceof Tensor ? loss.item() : loss;
}

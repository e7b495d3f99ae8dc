/** A live chart of the training loss (every step, left axis) and validation accuracy (every epoch, right axis, 0–1). */
export class TrainingChart {
  private losses: { step: number; loss: number }[] = [];
  private accuracies: { step: number; accuracy: number }[] = [];
  private totalSteps = 1;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.draw();
  }

  reset(totalSteps: number): void {
    this.losses = [];
    this.accuracies = [];
    this.totalSteps = Math.max(1, totalSteps);
    this.draw();
  }

  addLoss(step: number, loss: number): void {
    this.losses.push({ step, loss });
  }

  addAccuracy(step: number, accuracy: number): void {
    this.accuracies.push({ step, accuracy });
    this.draw();
  }

  /** Redraws (at most once per frame is enough: callers use requestAnimationFrame). */
  draw(): void {
    const { canvas } = this;
    const ctx = canvas.getContext('2d')!;
    const { width, height } = canvas;
    const pad = { left: 48, right: 48, top: 16, bottom: 28 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    ctx.clearRect(0, 0, width, height);
    ctx.font = '12px system-ui, sans-serif';
    ctx.strokeStyle = '#ccc';
    ctx.strokeRect(pad.left, pad.top, plotW, plotH);
    const maxLoss = Math.max(0.5, ...this.losses.map((p) => p.loss));
    const x = (step: number): number => pad.left + (step / this.totalSteps) * plotW;
    const yLoss = (loss: number): number => pad.top + plotH - (loss / maxLoss) * plotH;
    const yAcc = (acc: number): number => pad.top + plotH - acc * plotH;
    ctx.fillStyle = '#555';
    ctx.textAlign = 'right';
    ctx.fillText(maxLoss.toFixed(2), pad.left - 6, pad.top + 10);
    ctx.fillText('0', pad.left - 6, pad.top + plotH);
    ctx.textAlign = 'left';
    ctx.fillText('100%', width - pad.right + 6, pad.top + 10);
    ctx.fillText('0%', width - pad.right + 6, pad.top + plotH);
    ctx.textAlign = 'center';
    ctx.fillText(`step (of ${this.totalSteps})`, pad.left + plotW / 2, height - 8);
    const line = (points: { x: number; y: number }[], colour: string, dots: boolean): void => {
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      points.forEach((p, i) => (i === 0 ? ctx.moveTo(p.x, p.y) : ctx.lineTo(p.x, p.y)));
      ctx.stroke();
      if (dots) for (const p of points) ctx.fillRect(p.x - 3, p.y - 3, 6, 6);
    };
    line(
      this.losses.map((p) => ({ x: x(p.step), y: yLoss(p.loss) })),
      '#d9480f',
      false,
    );
    line(
      this.accuracies.map((p) => ({ x: x(p.step), y: yAcc(p.accuracy) })),
      '#1971c2',
      true,
    );
    ctx.textAlign = 'left';
    ctx.fillStyle = '#d9480f';
    ctx.fillText('training loss', pad.left + 8, pad.top + 16);
    ctx.fillStyle = '#1971c2';
    ctx.fillText('validation accuracy', pad.left + 110, pad.top + 16);
  }
}

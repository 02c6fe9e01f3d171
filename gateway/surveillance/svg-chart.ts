// SvgChart: a small SVG writer for case reports: linear axes, polylines, step lines, segments, circles,
// rectangles and text, all escaped, with coordinates rounded to 0.1 px. Our own (about a hundred lines)
// rather than a charting library: the report needs one fixed chart type drawn on the server with no
// browser, no DOM and no fonts to load; the charting libraries that render SVG server-side either need a
// DOM shim (d3 with jsdom) or a headless browser (Vega's canvas paths, ECharts' SSR carries a large
// runtime), which is more weight and more to keep up than the chart is worth.

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const r = (x: number): string => (Math.round(x * 10) / 10).toString();

export interface Frame {
  width: number;
  height: number;
  /** Plot area margins (px). */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export class SvgChart {
  private readonly parts: string[] = [];

  constructor(
    readonly frame: Frame,
    /** Data ranges shown (x: time µs, y: price ticks), inclusive. */
    readonly x0: number,
    readonly x1: number,
    readonly y0: number,
    readonly y1: number,
  ) {}

  px(x: number): number {
    const f = this.frame;
    return f.left + ((x - this.x0) / Math.max(1, this.x1 - this.x0)) * (f.width - f.left - f.right);
  }

  py(y: number): number {
    const f = this.frame;
    return f.height - f.bottom - ((y - this.y0) / Math.max(1, this.y1 - this.y0)) * (f.height - f.top - f.bottom);
  }

  line(x1: number, y1: number, x2: number, y2: number, style: string): void {
    this.parts.push(`<line x1="${r(this.px(x1))}" y1="${r(this.py(y1))}" x2="${r(this.px(x2))}" y2="${r(this.py(y2))}" style="${escapeXml(style)}"/>`);
  }

  /** A step line through (x, y) points: horizontal to the next x, then vertical. */
  steps(all: readonly [number, number][], xEnd: number, style: string): void {
    // Only the last point at or before the left edge, and everything after it.
    let first = 0;
    for (let i = 0; i < all.length; i++) if (all[i]![0] <= this.x0) first = i;
    const points = all.slice(first);
    if (points.length === 0) return;
    const d: string[] = [];
    points.forEach(([x, y], i) => {
      const next = i + 1 < points.length ? points[i + 1]![0] : xEnd;
      d.push(`${i === 0 ? 'M' : 'L'}${r(this.px(Math.max(x, this.x0)))},${r(this.py(y))}`, `L${r(this.px(Math.min(next, this.x1)))},${r(this.py(y))}`);
    });
    this.parts.push(`<path d="${d.join(' ')}" fill="none" style="${escapeXml(style)}"/>`);
  }

  circle(x: number, y: number, radius: number, style: string, title?: string): void {
    this.parts.push(`<circle cx="${r(this.px(x))}" cy="${r(this.py(y))}" r="${r(radius)}" style="${escapeXml(style)}">${title ? `<title>${escapeXml(title)}</title>` : ''}</circle>`);
  }

  /** A rectangle in pixel space (for legends and depth bars). */
  rectPx(x: number, y: number, w: number, h: number, style: string, title?: string): void {
    this.parts.push(`<rect x="${r(x)}" y="${r(y)}" width="${r(Math.max(0, w))}" height="${r(Math.max(0, h))}" style="${escapeXml(style)}">${title ? `<title>${escapeXml(title)}</title>` : ''}</rect>`);
  }

  textPx(x: number, y: number, text: string, style = '', anchor: 'start' | 'middle' | 'end' = 'start'): void {
    this.parts.push(`<text x="${r(x)}" y="${r(y)}" text-anchor="${anchor}" style="${escapeXml(style)}">${escapeXml(text)}</text>`);
  }

  render(title: string): string {
    const f = this.frame;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>${this.parts.join('')}</svg>`;
  }
}

/**
 * An SVG bar chart of a benchmark run: per case and thread count, each runtime's speed relative
 * to onnxruntime-web (its time / the runtime's time; > 1 is faster), on a log scale.
 */
import type { Lib } from './cases.js';

interface RowLike {
  case: string;
  threads: number;
  lib: Lib;
  runs: number;
  medianMs: number;
}

const COLORS: Record<Lib, string> = { torchlet: '#d9480f', 'ort-web': '#1c7ed6', 'ort-node': '#5c940d', 'tfjs-wasm': '#862e9c' };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function svgChart(rows: RowLike[], threads: number[]): string {
  const libs = (Object.keys(COLORS) as Lib[]).filter((l) => rows.some((r) => r.lib === l && r.runs > 0));
  const groups: { label: string; bars: { lib: Lib; speed: number; ms: number }[] }[] = [];
  for (const c of [...new Set(rows.map((r) => r.case))]) {
    for (const t of threads) {
      // onnxruntime-web runs the .onnx of a model; its .pt row compares with that
      const base = (x: string): string => x.replace(/ \(\.(pt|onnx)\)$/, '');
      const ow = rows.find((r) => base(r.case) === base(c) && r.threads === t && r.lib === 'ort-web' && r.runs > 0);
      const ref = ow?.medianMs ?? rows.find((r) => r.case === c && r.threads === t && r.runs > 0)?.medianMs;
      if (!ref) continue;
      const bars = libs.flatMap((l) => {
        const r = rows.find((x) => x.case === c && x.threads === t && x.lib === l && x.runs > 0);
        return r ? [{ lib: l, speed: ref / r.medianMs, ms: r.medianMs }] : [];
      });
      groups.push({ label: `${c} · ${t} thread${t > 1 ? 's' : ''}`, bars });
    }
  }
  const barH = 11, gap = 10, left = 300, width = 880, plotW = width - left - 70;
  const lo = Math.log(0.1), hi = Math.log(10);
  const x = (v: number): number => left + ((Math.log(Math.min(10, Math.max(0.1, v))) - lo) / (hi - lo)) * plotW;
  let y = 50;
  const parts: string[] = [];
  for (const g of groups) {
    const h = g.bars.length * barH;
    parts.push(`<text x="${left - 8}" y="${y + h / 2 + 4}" text-anchor="end" font-size="11">${esc(g.label)}</text>`);
    for (const b of g.bars) {
      const x0 = x(1), x1 = x(b.speed);
      parts.push(`<rect x="${Math.min(x0, x1).toFixed(1)}" y="${y}" width="${Math.max(1, Math.abs(x1 - x0)).toFixed(1)}" height="${barH - 2}" fill="${COLORS[b.lib]}"><title>${esc(`${b.lib}: ${b.ms.toFixed(2)} ms (${b.speed.toFixed(2)}x onnxruntime-web)`)}</title></rect>`);
      parts.push(`<text x="${(Math.max(x0, x1) + 3).toFixed(1)}" y="${y + barH - 3}" font-size="9" fill="#444">${b.ms < 10 ? b.ms.toFixed(2) : b.ms.toFixed(1)} ms</text>`);
      y += barH;
    }
    y += gap;
  }
  const height = y + 30;
  const ticks = [0.1, 0.25, 0.5, 1, 2, 4, 10].map((v) => `<line x1="${x(v)}" y1="40" x2="${x(v)}" y2="${y}" stroke="${v === 1 ? '#000' : '#ddd'}"/><text x="${x(v)}" y="${y + 14}" font-size="10" text-anchor="middle">${v}x</text>`);
  const legend = libs.map((l, i) => `<rect x="${left + i * 120}" y="14" width="10" height="10" fill="${COLORS[l]}"/><text x="${left + i * 120 + 14}" y="23" font-size="11">${l}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    '<rect width="100%" height="100%" fill="white"/>',
    `<text x="10" y="23" font-size="13" font-weight="bold">speed vs onnxruntime-web</text>`,
    ...legend, ...ticks, ...parts,
    `<text x="${left + plotW / 2}" y="${height - 4}" font-size="10" text-anchor="middle">onnxruntime-web time / runtime time (log scale; right of 1x = faster)</text>`,
    '</svg>',
  ].join('\n');
}

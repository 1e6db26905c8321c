/** Singular values of small dense matrices by one-sided Jacobi rotations (float64). */

/**
 * Singular values of the m x n row-major matrix `a` (not modified), in descending order.
 * One-sided Jacobi: orthogonalize the columns of a copy pairwise; the column norms are then the
 * singular values. Works on the transpose when m < n so that there are min(m, n) columns.
 */
export function singularValues(a: ArrayLike<number>, m: number, n: number): number[] {
  const rows = m >= n ? m : n, cols = m >= n ? n : m;
  // column-major copy: column j is w[j * rows .. (j + 1) * rows)
  const w = new Float64Array(rows * cols);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (m >= n) w[j * rows + i] = a[i * n + j]!;
      else w[i * rows + j] = a[i * n + j]!;
    }
  }
  const eps = 1e-15;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        const P = p * rows, Q = q * rows;
        for (let k = 0; k < rows; k++) {
          const x = w[P + k]!, y = w[Q + k]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t), s = c * t;
        for (let k = 0; k < rows; k++) {
          const x = w[P + k]!, y = w[Q + k]!;
          w[P + k] = c * x - s * y;
          w[Q + k] = s * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const sv: number[] = [];
  for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let k = 0; k < rows; k++) s += w[j * rows + k]! ** 2;
    sv.push(Math.sqrt(s));
  }
  return sv.sort((x, y) => y - x);
}

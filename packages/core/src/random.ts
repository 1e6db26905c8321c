/**
 * PyTorch's CPU generator: a 32-bit Mersenne Twister seeded like at::mt19937. Uniform floats use
 * 24 random bits as PyTorch's `uniform_real_distribution<float>` does, so `torch.rand` after
 * `manualSeed` reproduces PyTorch's values for float32 tensors below 16 elements per draw.
 */
export class MT19937 {
  private readonly mt = new Uint32Array(624);
  private idx = 625;
  constructor(seed = 5489) {
    this.seed(seed);
  }
  seed(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.idx = 624;
  }
  nextU32(): number {
    const mt = this.mt;
    if (this.idx >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff);
        mt[i] = mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.idx = 0;
    }
    let y = mt[this.idx++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }
  /** uniform in [0, 1) with 24 bits (float32) */
  nextFloat(): number {
    return (this.nextU32() & 0xffffff) * 2 ** -24;
  }
  /** uniform in [0, 1) with 53 bits (float64) */
  nextDouble(): number {
    const a = this.nextU32(), b = this.nextU32();
    return ((a * 2 ** 32 + b) % 2 ** 53) * 2 ** -53;
  }
  /** standard normal via Box-Muller */
  nextNormal(): number {
    const u1 = this.nextDouble(), u2 = this.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u2)) * Math.cos(2 * Math.PI * u1);
  }
}

export const defaultGenerator = new MT19937(67280421310721 % 2 ** 32);

export function manualSeed(seed: number): void {
  defaultGenerator.seed(Number(BigInt.asUintN(32, BigInt(seed))));
}

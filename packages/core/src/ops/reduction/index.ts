import { all } from './all.js';
import { amax } from './amax.js';
import { amin } from './amin.js';
import { aminmax } from './aminmax.js';
import { any } from './any.js';
import { argmax } from './argmax.js';
import { argmin } from './argmin.js';
import { argsort } from './argsort.js';
import { count_nonzero } from './count_nonzero.js';
import { cummax } from './cummax.js';
import { cummin } from './cummin.js';
import { cumprod } from './cumprod.js';
import { cumsum } from './cumsum.js';
import { frobenius_norm } from './frobenius_norm.js';
import { kthvalue } from './kthvalue.js';
import { _log_softmax, log_softmax, special_log_softmax } from './log_softmax.js';
import { logcumsumexp } from './logcumsumexp.js';
import { logsumexp } from './logsumexp.js';
import { max } from './max.js';
import { mean, nanmean } from './mean.js';
import { median } from './median.js';
import { min } from './min.js';
import { mode } from './mode.js';
import { msort } from './msort.js';
import { nanmedian } from './nanmedian.js';
import { norm } from './norm.js';
import { nuclear_norm } from './nuclear_norm.js';
import { prod } from './prod.js';
import { _softmax, softmax, special_softmax } from './softmax.js';
import { softmin } from './softmin.js';
import { sort } from './sort.js';
import { std } from './std.js';
import { std_mean } from './std_mean.js';
import { nansum, sum } from './sum.js';
import { topk } from './topk.js';
import { var_ } from './var.js';
import { var_mean } from './var_mean.js';

export const reductionOps = [
  sum, nansum, mean, nanmean, prod, amax, amin, aminmax, max, min, argmax, argmin, any, all, count_nonzero,
  cumsum, cumprod, cummax, cummin, logcumsumexp, softmax, _softmax, log_softmax, _log_softmax, special_softmax, special_log_softmax, softmin, logsumexp,
  var_, std, var_mean, std_mean, norm, frobenius_norm, nuclear_norm, median, nanmedian, mode, kthvalue, topk, sort, argsort, msort,
] as const;

import { clone } from './clone.js';
import { alias, contiguous } from './contiguous.js';
import { copy_ } from './copy_.js';
import { permute } from './permute.js';
import { reshape } from './reshape.js';
import { _to_copy, to } from './to.js';
import { transpose } from './transpose.js';
import { view } from './view.js';

export const shapeOps = [view, reshape, permute, transpose, clone, contiguous, alias, copy_, _to_copy, to] as const;

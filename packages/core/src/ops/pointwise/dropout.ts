import { defineOp, type OverloadDecl } from '../../registry.js';
import { checkDropoutP, dropout as dropoutImpl, type DropoutKind } from '../../cpu/pointwise_dropout.js';
import type { Tensor } from '../../tensor.js';

/** aten::<name>(Tensor input, float p, bool train) and its in-place `<name>_` */
export function dropoutOverloads(name: string, kind: DropoutKind): { fn: OverloadDecl; inplace: OverloadDecl } {
  return {
    fn: {
      schema: `aten::${name}(Tensor input, float p, bool train) -> Tensor`,
      tags: ['nondeterministic'],
      decompose: (a) => dropoutImpl(a.input as Tensor, a.p as number, a.train as boolean, kind, false),
    },
    inplace: {
      schema: `aten::${name}_(Tensor(a!) self, float p, bool train) -> Tensor(a!)`,
      tags: ['nondeterministic', 'inplace'],
      decompose: (a) => dropoutImpl(a.self as Tensor, a.p as number, a.train as boolean, kind, true),
    },
  };
}

/** F.dropout(input, p, training, inplace) and the other Python wrappers: check p, then the ATen op */
export function pyDropout(name: string, trainingDefault: boolean, kind: DropoutKind): OverloadDecl {
  return {
    schema: `torchlet::${name}(Tensor input, float p=0.5, bool training=${trainingDefault ? 'True' : 'False'}, bool inplace=False) -> Tensor`,
    tags: ['nondeterministic', 'composite'],
    decompose: (a) => {
      checkDropoutP(a.p as number);
      return dropoutImpl(a.input as Tensor, a.p as number, a.training as boolean, kind, a.inplace as boolean);
    },
  };
}

const o = dropoutOverloads('dropout', { feature: false, alpha: false });

/**
 * torch.dropout(input, p, train) / F.dropout(input, p=0.5, training=True, inplace=False). In eval
 * (train=False) the input comes back as an alias; in training the mask comes from torchlet's
 * default generator (see cpu/pointwise_dropout.ts).
 */
export const dropout = defineOp({
  name: 'dropout',
  variants: ['function', 'F'],
  overloads: [o.fn, pyDropout('dropout', true, { feature: false, alpha: false })],
});

export const dropout_ = defineOp({ name: 'dropout_', variants: ['function'], overloads: [o.inplace] });

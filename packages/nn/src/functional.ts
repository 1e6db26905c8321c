/**
 * torch.nn.functional: every registry op declared with the 'F' variant (generated from the op
 * registry by `pnpm --filter @torchlet/core gen`), with PyTorch's names and argument order.
 */
export * from '@torchlet/core/nn-functional';

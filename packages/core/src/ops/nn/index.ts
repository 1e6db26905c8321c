export const nnOps = [] as const;

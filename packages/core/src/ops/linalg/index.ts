export const linalgOps = [] as const;

export const factoryOps = [] as const;

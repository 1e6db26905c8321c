export const indexingOps = [] as const;

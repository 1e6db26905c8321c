export const convOps = [] as const;

export * from './catalog';
export * from './memoryPlanner';
export * from './ggufSummary';

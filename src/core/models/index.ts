export * from './catalog';
export * from './memoryPlanner';
export * from './ggufSummary';
export * from './ggufLayout';
export * from './ggufHeaderBounds';
export * from './recommend';
export * from './byteSize';

export * from './actors.js';
export * from './checkpoints.js';
export * from './concessions.js';
export * from './events.js';
export * from './flags.js';
export * from './lots.js';
export * from './movements.js';
export * from './zones.js';

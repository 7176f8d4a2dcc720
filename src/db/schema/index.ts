export * from './actors.js';
export * from './checkpoints.js';
export * from './concessions.js';
export * from './events.js';
export * from './zones.js';

export * from './lr-scheduler/index.js';

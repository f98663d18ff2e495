// The controllers' public entry point: startControllers and its configuration.
export { startControllers, type ControllerConfig } from './start-controllers.ts'

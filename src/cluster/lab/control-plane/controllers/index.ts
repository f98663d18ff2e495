// The controllers' public entry point: startControllers and its configuration.
export { startControllers, type ControllerConfig, type RunningControllers } from './start-controllers.ts'

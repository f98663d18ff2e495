// Moved to src/wait/clock.ts (shared with the lab controllers); this re-export stays until the proxy's last imports move.
export { FakeClock, realClock, type Clock, type TimerHandle } from '../wait/clock.ts'

export {
  addDays,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatDate,
  isLeapYear,
  isValidDate,
  MAX_EPOCH_DAY,
  MIN_EPOCH_DAY,
  parseDate,
  weekday,
} from './calendar';
export type { CivilDate } from './calendar';
export {
  compileSchedule,
  firstIndexOnOrAfter,
  FREQUENCIES,
  occurrenceDate,
  occurrenceDay,
  occurrences,
} from './schedule';
export type { Frequency, Schedule, ScheduleRule } from './schedule';
export { isValidTimeZone, todayInTimeZone } from './time-zone';

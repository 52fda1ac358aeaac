import { dueReminder, latestRemindableDueDate, normaliseOffsets } from './reminder.plan';

const invoice = { issueDate: '2027-01-31', dueDate: '2027-03-02' };
const policy = [-3, 1, 7, 14];

describe('which reminder is due', () => {
  it('none before the first offset, then each on its day', () => {
    expect(dueReminder(policy, invoice, '2027-02-26')).toBeNull();
    expect(dueReminder(policy, invoice, '2027-02-27')).toBe(-3);
    expect(dueReminder(policy, invoice, '2027-03-02')).toBe(-3);
    expect(dueReminder(policy, invoice, '2027-03-03')).toBe(1);
    expect(dueReminder(policy, invoice, '2027-03-09')).toBe(7);
    expect(dueReminder(policy, invoice, '2027-03-16')).toBe(14);
  });

  it('after missed days only the latest, never a burst of stale ones', () => {
    expect(dueReminder(policy, invoice, '2027-06-01')).toBe(14);
    expect(dueReminder(policy, invoice, '2027-03-10')).toBe(7);
  });

  it('never on or before the issue date, nor with an empty policy', () => {
    const short = { issueDate: '2027-03-01', dueDate: '2027-03-02' };
    expect(dueReminder([-3, -1], short, '2027-03-01')).toBeNull();
    expect(dueReminder([-3, 0], short, '2027-03-02')).toBe(0);
    expect(dueReminder([], invoice, '2027-12-31')).toBeNull();
  });

  it('bounds the candidates and sorts offsets', () => {
    expect(latestRemindableDueDate(policy, '2027-02-27')).toBe('2027-03-02');
    expect(latestRemindableDueDate([], '2027-02-27')).toBeNull();
    expect(normaliseOffsets([7, -3, 1])).toEqual([-3, 1, 7]);
  });
});

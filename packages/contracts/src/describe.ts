// What a rejected value is, never what it says. Details of broken rules go into the DLQ's
// pulse-error-detail header and into logs, and a rejected value may be a patient identifier sent
// by mistake (an NHS number in an id, a name in subjectRef, a date of birth as an instant), so a
// value is described by its type and size only.

/** `a string of 10 characters`, `a negative integer`, `a list of 2 items`, `null`, ... */
export function shapeOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `a string of ${value.length} character${value.length === 1 ? '' : 's'}`;
    case 'number':
      if (!Number.isFinite(value)) return 'a non-finite number';
      if (!Number.isInteger(value)) return 'a fractional number';
      return value < 0 ? 'a negative integer' : 'an integer';
    case 'bigint':
      return 'a big integer';
    case 'boolean':
      return 'a boolean';
    case 'undefined':
      return 'nothing';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value))
        return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
      if (Buffer.isBuffer(value)) return `${value.length} bytes`;
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

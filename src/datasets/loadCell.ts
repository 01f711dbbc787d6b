/**
 * The code of a "load this version" cell: `%dataset load NAME@vN`, with `--as VAR` when
 * the variable the magic would pick (the name, dots as underscores) is not an identifier.
 */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function loadCellCode(name: string, version: string): string {
  const variable = name.replace(/\./g, '_');
  const code = `%dataset load ${name}@${version}`;
  if (IDENTIFIER.test(variable)) {
    return code;
  }
  const safe = variable.replace(/[^A-Za-z0-9_]/g, '_');
  return `${code} --as ${/^[0-9]/.test(safe) ? `_${safe}` : safe}`;
}

import { formatNumber } from '../components/format';

describe('formatNumber', () => {
  it('keeps four significant digits without trailing zeros', () => {
    expect(formatNumber(5.1)).toBe('5.1');
    expect(formatNumber(0.12345)).toBe('0.1235');
    expect(formatNumber(3.083333)).toBe('3.083');
    expect(formatNumber(10.5)).toBe('10.5');
    expect(formatNumber(-2.5)).toBe('-2.5');
  });

  it('writes integers whole and missing values as a dash', () => {
    expect(formatNumber(1200)).toBe('1200');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(undefined)).toBe('—');
  });

  it('uses exponent form for very large and very small values', () => {
    expect(formatNumber(1250000.5)).toBe('1.25e+6');
    expect(formatNumber(0.0001)).toBe('1e-4');
    expect(formatNumber(0.00012346)).toBe('1.235e-4');
  });
});

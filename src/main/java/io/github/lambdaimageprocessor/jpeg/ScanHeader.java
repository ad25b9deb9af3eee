package io.github.lambdaimageprocessor.jpeg;

/**
 * One SOS header: the components in the scan and, for progressive scans, the spectral band {@code [ss, se]} and the
 * successive-approximation bit positions {@code ah} (previous) and {@code al} (current).
 *
 * @param dataStart offset of the first entropy-coded byte
 */
record ScanHeader(Component[] components, int ss, int se, int ah, int al, int dataStart) {
}

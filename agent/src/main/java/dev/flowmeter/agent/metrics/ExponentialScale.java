package dev.flowmeter.agent.metrics;

/**
 * The bucket arithmetic of Prometheus' native histograms: at schema {@code s}, bucket {@code i} holds
 * the values in {@code (base^(i-1), base^i]}, {@code base = 2^(2^-s)}. {@link #index} and
 * {@link #upperBound} agree exactly: {@code index(v) <= i} if and only if {@code v <= upperBound(i)},
 * which lets a histogram split a bucket where a classic bound falls inside it.
 */
final class ExponentialScale {

    /** The finest schema used, and the one every histogram starts at (client_java's default too). */
    static final int MAX_SCHEMA = 5;
    /** The coarsest schema Prometheus knows: a bucket spans 2^16. */
    static final int MIN_SCHEMA = -4;

    private static final long MANTISSA = 0x000F_FFFF_FFFF_FFFFL;
    private static final long HALF_EXPONENT = 0x3FE0_0000_0000_0000L;

    /**
     * For schema {@code s > 0}, {@code FRACTIONS[s][j] = 2^(j/2^s) / 2}: where the buckets of an octave
     * end, as fractions in {@code [0.5, 1)} of the octave's top (the form {@code frexp} gives).
     */
    private static final double[][] FRACTIONS = new double[MAX_SCHEMA + 1][];

    static {
        for (int schema = 1; schema <= MAX_SCHEMA; schema++) {
            int perOctave = 1 << schema;
            FRACTIONS[schema] = new double[perOctave];
            for (int j = 0; j < perOctave; j++) {
                FRACTIONS[schema][j] = Math.pow(2, (double) j / perOctave) / 2;
            }
        }
    }

    private ExponentialScale() {}

    /** The bucket of {@code value}, a positive normal number or positive infinity. */
    static int index(double value, int schema) {
        long bits = Double.doubleToRawLongBits(value);
        // value = fraction * 2^exponent, fraction in [0.5, 1), as frexp would split it
        int exponent = (int) (bits >>> 52) - 1022;
        if (schema > 0) {
            double fraction = Double.longBitsToDouble((bits & MANTISSA) | HALF_EXPONENT);
            return firstNotBelow(FRACTIONS[schema], fraction) + ((exponent - 1) << schema);
        }
        // A power of two tops the bucket below its exponent's.
        int octave = (bits & MANTISSA) == 0 ? exponent - 1 : exponent;
        int shift = -schema;
        return (octave + (1 << shift) - 1) >> shift;
    }

    /** The largest value in bucket {@code index}: {@code base^index}, as the double {@link #index} compares with. */
    static double upperBound(int index, int schema) {
        if (schema > 0) {
            double[] fractions = FRACTIONS[schema];
            return Math.scalb(fractions[index & (fractions.length - 1)], (index >> schema) + 1);
        }
        return Math.scalb(1.0, index << -schema);
    }

    /** Bucket {@code index} at a schema {@code steps} coarser: every bucket is merged with its neighbours. */
    static int coarser(int index, int steps) {
        return (index + (1 << steps) - 1) >> steps;
    }

    /** The smallest {@code j} with {@code sorted[j] >= value}, or {@code sorted.length}. */
    private static int firstNotBelow(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}

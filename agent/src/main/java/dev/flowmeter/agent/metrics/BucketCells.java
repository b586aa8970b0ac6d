package dev.flowmeter.agent.metrics;

import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counts of one native histogram at one schema, over a window of its buckets: one cell per
 * native bucket, or several where classic bounds fall inside it, so that a cell lies in one native
 * and one classic bucket and an observation is one increment. Both views of a snapshot are then
 * sums of the same cells, and their counts agree however many threads record meanwhile.
 *
 * <p>Immutable but for the counts. A histogram that needs a wider window or a coarser schema makes
 * new cells and {@link #moveTo moves} these into them; a cell moved is frozen negative, so that an
 * increment that comes too late sees it and records again in the new cells.
 */
final class BucketCells {

    /** Observations in {@code [-ZERO_THRESHOLD, ZERO_THRESHOLD]} count as zero (client_java's default). */
    static final double ZERO_THRESHOLD = 0x1p-128;

    private static final long FROZEN = Long.MIN_VALUE;

    /** The native buckets of one sign, or the zero bucket, in a window {@code [offset, offset + length)}. */
    static final class Side {
        final int offset;
        final int length;
        /** Slot {@code j}'s first cell; {@code firstCell[length]} is the side's end. */
        private final int[] firstCell;
        /** The classic bucket of slot {@code j}'s first cell; its next cells are the next classic buckets. */
        private final int[] firstClassic;
        private final double[] classicBounds;

        /** @param sign 1 for positive values, -1 for negative, 0 for the zero bucket (offset 0, length 1) */
        Side(int sign, int offset, int length, int schema, double[] classicBounds, int cells) {
            this.offset = offset;
            this.length = length;
            this.firstCell = new int[length + 1];
            this.firstClassic = new int[length];
            this.classicBounds = classicBounds;
            for (int j = 0; j < length; j++) {
                double low;
                double high;
                if (sign == 0) {
                    low = -ZERO_THRESHOLD;
                    high = ZERO_THRESHOLD;
                } else {
                    double above = Math.nextUp(ExponentialScale.upperBound(offset + j - 1, schema));
                    double top = ExponentialScale.upperBound(offset + j, schema);
                    low = sign > 0 ? above : -top;
                    high = sign > 0 ? top : -above;
                }
                firstCell[j] = cells;
                firstClassic[j] = classicIndex(classicBounds, low);
                cells += classicIndex(classicBounds, high) - firstClassic[j] + 1;
            }
            firstCell[length] = cells;
        }

        /** The window's first bucket, or {@code index} if lower and {@code with}; above {@link #highWith}'s when empty. */
        int lowWith(boolean with, int index) {
            return !with ? offset : length == 0 ? index : Math.min(offset, index);
        }

        /** The window's last bucket, or {@code index} if higher and {@code with}. */
        int highWith(boolean with, int index) {
            int last = offset + length - 1;
            return !with ? last : length == 0 ? index : Math.max(last, index);
        }

        /** The cell of {@code value}, in native bucket {@code index}; -1 outside the window. */
        int cell(int index, double value) {
            int slot = index - offset;
            if (slot < 0 || slot >= length) {
                return -1;
            }
            int cell = firstCell[slot];
            return firstCell[slot + 1] - cell == 1 ? cell : cell + classicIndex(classicBounds, value) - firstClassic[slot];
        }

        int end() {
            return firstCell[length];
        }

        /** Moves each cell's count into {@code to}'s cell of the same classic bucket, {@code steps} schemas coarser. */
        void moveTo(Side to, int steps, AtomicLongArray from, AtomicLongArray into) {
            for (int j = 0; j < length; j++) {
                int target = ExponentialScale.coarser(offset + j, steps) - to.offset;
                for (int cell = firstCell[j]; cell < firstCell[j + 1]; cell++) {
                    long count = from.getAndSet(cell, FROZEN);
                    if (count != 0) {
                        int classic = firstClassic[j] + cell - firstCell[j];
                        into.getAndAdd(to.firstCell[target] + classic - to.firstClassic[target], count);
                    }
                }
            }
        }

        /** Adds the cells to {@code classic} by classic bucket, and returns the native buckets with a count. */
        NativeHistogramBuckets collect(AtomicLongArray counts, long[] classic) {
            int[] indexes = new int[length];
            long[] totals = new long[length];
            int kept = 0;
            for (int j = 0; j < length; j++) {
                long total = 0;
                for (int cell = firstCell[j]; cell < firstCell[j + 1]; cell++) {
                    long count = counts.get(cell);
                    classic[firstClassic[j] + cell - firstCell[j]] += count;
                    total += count;
                }
                if (total > 0) {
                    indexes[kept] = offset + j;
                    totals[kept++] = total;
                }
            }
            return NativeHistogramBuckets.of(Arrays.copyOf(indexes, kept), Arrays.copyOf(totals, kept));
        }
    }

    final int schema;
    final Side negative;
    final Side zero;
    final Side positive;
    final AtomicLongArray counts;

    /** Empty cells at the finest schema. */
    BucketCells(double[] classicBounds) {
        this(ExponentialScale.MAX_SCHEMA, 0, 0, 0, 0, classicBounds);
    }

    /** Windows of {@code negativeLength} and {@code positiveLength} buckets (of absolute values) from their offsets. */
    BucketCells(int schema, int negativeOffset, int negativeLength, int positiveOffset, int positiveLength,
            double[] classicBounds) {
        this.schema = schema;
        this.negative = new Side(-1, negativeOffset, negativeLength, schema, classicBounds, 0);
        this.zero = new Side(0, 0, 1, schema, classicBounds, negative.end());
        this.positive = new Side(1, positiveOffset, positiveLength, schema, classicBounds, zero.end());
        this.counts = new AtomicLongArray(positive.end());
    }

    /** The cell of {@code value}, or -1 if its bucket is outside the windows. */
    int cell(double value) {
        if (value > ZERO_THRESHOLD) {
            return positive.cell(ExponentialScale.index(value, schema), value);
        }
        if (value < -ZERO_THRESHOLD) {
            return negative.cell(ExponentialScale.index(-value, schema), value);
        }
        return zero.cell(0, value);
    }

    /** Counts one observation in {@code cell}; false if the cell was moved, and the observation must go to the new cells. */
    boolean increment(int cell) {
        return counts.incrementAndGet(cell) > 0;
    }

    /** Moves every count into {@code to}, which is {@code steps} schemas coarser; these cells are then frozen. */
    void moveTo(BucketCells to, int steps) {
        negative.moveTo(to.negative, steps, counts, to.counts);
        zero.moveTo(to.zero, steps, counts, to.counts);
        positive.moveTo(to.positive, steps, counts, to.counts);
    }

    /** The total of every cell. */
    long count() {
        long count = 0;
        for (int cell = 0; cell < counts.length(); cell++) {
            count += Math.max(0, counts.get(cell));
        }
        return count;
    }

    /** The classic bucket of {@code value}: the first of the ascending bounds (the last +Inf) not below it. */
    static int classicIndex(double[] classicBounds, double value) {
        int found = Arrays.binarySearch(classicBounds, value);
        return found >= 0 ? found : -found - 1;
    }
}

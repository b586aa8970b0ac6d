package dev.flowmeter.agent.probe;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * The objects a rule with {@code once_per_instance} has measured, by identity (an application's
 * {@code equals} plays no part), held weakly: an object that is collected leaves the set, so the
 * set stays as large as the objects still alive.
 */
final class SeenInstances {

    private final Map<Key, Boolean> seen = new HashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    /** @return whether {@code instance} is seen for the first time; it is seen from now on */
    synchronized boolean first(Object instance) {
        for (Reference<?> gone = collected.poll(); gone != null; gone = collected.poll()) {
            seen.remove(gone);
        }
        return seen.putIfAbsent(new Key(instance, collected), Boolean.TRUE) == null;
    }

    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object instance, ReferenceQueue<Object> queue) {
            super(instance, queue);
            this.hash = System.identityHashCode(instance);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /** The same key, or one for the same live object: a collected key equals only itself, for its removal. */
        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            Object instance = get();
            return other instanceof Key && instance != null && instance == ((Key) other).get();
        }
    }
}

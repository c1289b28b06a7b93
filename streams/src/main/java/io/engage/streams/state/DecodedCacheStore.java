package io.engage.streams.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.internals.Change;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A write-back cache of <em>decoded</em> values in front of a logged key-value store, in place of Kafka Streams'
 * record cache (docs/rules.md, "Stored state"; docs/benchmarks.md, "Decoded state on the heap"). Kafka Streams' cache
 * holds serialised bytes in a {@code TreeMap} per store: every read decodes and every write encodes, per reading. Here
 * a read of a key the task touched recently is a hash lookup that returns the value object, a write replaces it, and
 * each changed key is encoded, written to the store below (RocksDB and its changelog) and handed to the flush listener
 * once per commit.
 *
 * <p>Exactly-once holds as with Kafka Streams' cache, through the same hook: before each commit Kafka Streams calls
 * {@link #flushCache()} on every cached store, so every change reaches the changelog within the transaction that
 * commits the input offsets; a task closed dirty (a crash, a fenced producer) drops the heap with the store, and the
 * state is restored from the changelog. Values must be immutable: the cache hands out the objects it holds.
 *
 * <p>One thread writes (the stream thread that owns the task); interactive queries may read from others. A reader on
 * another thread sees the cached values by key ({@link #get}), and ranges as of the last commit (a range on the
 * writing thread first writes the changed keys below, so it sees them).
 *
 * <p>The heap holds two generations of at most {@code capacity} entries each after a commit: when the current one
 * grows past {@code capacity}, it becomes the older one and the older one is dropped (its values are in the store
 * below); an entry read from the older generation moves to the current one. So the entries used since the last turn
 * stay, and a population larger than the heap does not empty it all at once.
 */
public final class DecodedCacheStore<V> implements KeyValueStore<String, V>, CachedStateStore<String, V> {
    /** Marks a key known to be absent (deleted, or not in the store below). */
    private static final Object ABSENT = new Object();

    private final KeyValueStore<String, V> inner;
    private final int capacity;
    /** Key to value, or {@link #ABSENT}; read by any thread, written by the writer. */
    private volatile ConcurrentHashMap<String, Object> entries = new ConcurrentHashMap<>();
    /** The older generation: clean entries only, read (and moved to {@link #entries}) until the next turn. */
    private volatile ConcurrentHashMap<String, Object> older = new ConcurrentHashMap<>();
    /** Changed keys since the last flush, in order of their last change, with the record context of that change. */
    private final LinkedHashMap<String, ProcessorRecordContext> dirty = new LinkedHashMap<>();

    private volatile Thread writer;
    private InternalProcessorContext<?, ?> context;
    private CacheFlushListener<String, V> listener;
    private boolean sendOldValues;

    /**
     * @param inner    the store below, without a record cache of its own (a changelog if the data must survive)
     * @param capacity how many entries each of the heap's two generations keeps after a commit
     */
    public DecodedCacheStore(KeyValueStore<String, V> inner, int capacity) {
        this.inner = inner;
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        this.context = context instanceof InternalProcessorContext<?, ?> internal ? internal : null;
        entries.clear();
        older.clear();
        dirty.clear();
        writer = null;
        inner.init(context, root);
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(String key) {
        Object cached = entries.get(key);
        if (cached != null) {
            return cached == ABSENT ? null : (V) cached;
        }
        cached = older.get(key);
        if (cached != null) {
            if (Thread.currentThread() == writer) {
                entries.put(key, cached);
            }
            return cached == ABSENT ? null : (V) cached;
        }
        V value = inner.get(key);
        if (Thread.currentThread() == writer) {
            // only the writer fills: a reader's value could be older than a write it raced with
            entries.put(key, value == null ? ABSENT : value);
        }
        return value;
    }

    @Override
    public void put(String key, V value) {
        writer = Thread.currentThread();
        entries.put(key, value == null ? ABSENT : value);
        dirty.remove(key);
        dirty.put(key, context != null ? context.recordContext() : null);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> all) {
        for (KeyValue<String, V> kv : all) {
            put(kv.key, kv.value);
        }
    }

    @Override
    public V delete(String key) {
        V existing = get(key);
        put(key, null);
        return existing;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        writeChangesIfWriter();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> reverseRange(String from, String to) {
        writeChangesIfWriter();
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        writeChangesIfWriter();
        return inner.all();
    }

    @Override
    public KeyValueIterator<String, V> reverseAll() {
        writeChangesIfWriter();
        return inner.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writeChangesIfWriter();
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<String, V> listener, boolean sendOldValues) {
        this.listener = listener;
        this.sendOldValues = sendOldValues;
        return true;
    }

    /** Called by Kafka Streams before each commit: every changed key goes to the store below and the listener. */
    @Override
    public void flushCache() {
        writeChanges();
        if (entries.size() > capacity) {
            older = entries;
            entries = new ConcurrentHashMap<>();
        }
    }

    @Override
    public void clearCache() {
        entries.clear();
        older.clear();
        dirty.clear();
    }

    @Override
    public void flush() {
        if (!dirty.isEmpty() && Thread.currentThread() == writer) {
            writeChanges();
        }
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public void close() {
        entries.clear();
        older.clear();
        dirty.clear();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }

    /**
     * A builder of this cache over {@code below} (whose own record cache it turns off): logging and the name are
     * {@code below}'s; {@code withCachingDisabled()} leaves the cache out.
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> builder(
            StoreBuilder<KeyValueStore<String, V>> below, int capacity) {
        return new Builder<>(below.withCachingDisabled(), capacity);
    }

    private static final class Builder<V> implements StoreBuilder<KeyValueStore<String, V>> {
        private final StoreBuilder<KeyValueStore<String, V>> below;
        private final int capacity;
        private boolean cached = true;

        Builder(StoreBuilder<KeyValueStore<String, V>> below, int capacity) {
            this.below = below;
            this.capacity = capacity;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
            cached = true;
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
            cached = false;
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
            below.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
            below.withLoggingDisabled();
            return this;
        }

        @Override
        public KeyValueStore<String, V> build() {
            KeyValueStore<String, V> store = below.build();
            return cached ? new DecodedCacheStore<>(store, capacity) : store;
        }

        @Override
        public Map<String, String> logConfig() {
            return below.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return below.loggingEnabled();
        }

        @Override
        public String name() {
            return below.name();
        }
    }

    /** How many changed keys wait for the next commit (for tests). */
    int changedKeys() {
        return dirty.size();
    }

    /** How many entries the heap's current generation holds (for tests). */
    int heapEntries() {
        return entries.size();
    }

    private void writeChangesIfWriter() {
        if (!dirty.isEmpty() && Thread.currentThread() == writer) {
            writeChanges();
        }
    }

    /**
     * Writes each changed key to the store below, under the record context of its last change (as Kafka Streams'
     * cache does: the changelog record gets that change's timestamp), then hands it to the listener.
     */
    @SuppressWarnings("unchecked")
    private void writeChanges() {
        if (dirty.isEmpty()) {
            return;
        }
        ProcessorRecordContext current = context != null ? context.recordContext() : null;
        try {
            var it = dirty.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<String, ProcessorRecordContext> change = it.next();
                it.remove();
                String key = change.getKey();
                ProcessorRecordContext at = change.getValue();
                if (context != null && at != null) {
                    context.setRecordContext(at);
                }
                Object cached = entries.get(key);
                V value = cached == null || cached == ABSENT ? null : (V) cached;
                V old = listener != null && sendOldValues ? inner.get(key) : null;
                if (value == null) {
                    inner.delete(key);
                } else {
                    inner.put(key, value);
                }
                if (listener != null) {
                    listener.apply(new Record<>(key, new Change<>(value, old), at != null ? at.timestamp() : 0L));
                }
            }
        } finally {
            if (context != null && current != null) {
                context.setRecordContext(current);
            }
        }
    }
}

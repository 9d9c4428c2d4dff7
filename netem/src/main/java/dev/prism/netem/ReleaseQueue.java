package dev.prism.netem;

import java.nio.ByteBuffer;

/**
 * Packets held until their departure time: a fixed number of slots, each with room for one datagram, ordered by
 * departure (packets due at the same nanosecond in the order they were added). Copies each payload in once; nothing
 * is allocated after construction. Not thread-safe: one owner thread.
 */
final class ReleaseQueue {
    private final int slotBytes;
    private final ByteBuffer[] payloads;
    private final long[] departure;
    private final long[] arrival;
    private final long[] order;
    private final int[] route;
    private final int[] heap;
    private final int[] free;
    private int size;
    private int freeCount;
    private long sequence;

    ReleaseQueue(int capacity, int slotBytes) {
        if (capacity <= 0 || slotBytes <= 0) {
            throw new IllegalArgumentException("capacity and slot size must be positive");
        }
        this.slotBytes = slotBytes;
        byte[] storage = new byte[Math.multiplyExact(capacity, slotBytes)];
        payloads = new ByteBuffer[capacity];
        departure = new long[capacity];
        arrival = new long[capacity];
        order = new long[capacity];
        route = new int[capacity];
        heap = new int[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            payloads[i] = ByteBuffer.wrap(storage, i * slotBytes, slotBytes).slice();
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    int slotBytes() {
        return slotBytes;
    }

    boolean isFull() {
        return freeCount == 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /**
     * Copies {@code payload}'s remaining bytes (at most {@link #slotBytes()}; the caller checks) into a free slot.
     * Does not move {@code payload}'s position. The caller checks {@link #isFull()} first.
     */
    void add(ByteBuffer payload, int routeId, long arrivalNanos, long departureNanos) {
        int slot = free[--freeCount];
        ByteBuffer to = payloads[slot];
        to.clear();
        to.put(payload.duplicate());
        to.flip();
        departure[slot] = departureNanos;
        arrival[slot] = arrivalNanos;
        order[slot] = sequence++;
        route[slot] = routeId;
        heap[size] = slot;
        siftUp(size++);
    }

    /** The earliest departure held; only when not empty. */
    long nextDeparture() {
        return departure[heap[0]];
    }

    /** Takes the earliest packet out; its slot may be reused by the next {@link #add}, so read it first. */
    int poll() {
        int slot = heap[0];
        heap[0] = heap[--size];
        if (size > 0) {
            siftDown(0);
        }
        free[freeCount++] = slot;
        return slot;
    }

    ByteBuffer payload(int slot) {
        return payloads[slot];
    }

    long departure(int slot) {
        return departure[slot];
    }

    long arrival(int slot) {
        return arrival[slot];
    }

    int route(int slot) {
        return route[slot];
    }

    private boolean before(int a, int b) {
        long d = departure[a] - departure[b];
        return d < 0 || (d == 0 && order[a] < order[b]);
    }

    private void siftUp(int i) {
        int slot = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(slot, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = slot;
    }

    private void siftDown(int i) {
        int slot = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], slot)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = slot;
    }
}

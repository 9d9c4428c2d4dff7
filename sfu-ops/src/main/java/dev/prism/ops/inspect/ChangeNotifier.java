package dev.prism.ops.inspect;

import dev.prism.core.room.RoomEvent;
import dev.prism.core.room.RoomListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room observer (given to the registry for every room) that tells operator views something changed, so the admin
 * page updates at once instead of at the next sample. Listeners run on the room's executor and must return at once.
 */
public final class ChangeNotifier implements RoomListener {
    private static final Logger log = LoggerFactory.getLogger(ChangeNotifier.class);

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void onRoomEvent(RoomEvent event) {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                log.warn("room={} change listener failed", event.roomId(), e);
            }
        }
    }

    /** Adds a listener; closing the result removes it. */
    public AutoCloseable subscribe(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}

package dev.prism.cluster.link;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A client-side channel of a link test, with what it received and how it closed. */
final class OpenedChannel {
    final LinkChannel channel;
    final List<String> received = new CopyOnWriteArrayList<>();
    final AtomicReference<LinkClose> closed = new AtomicReference<>();

    OpenedChannel(LinkChannel channel) {
        this.channel = channel;
        channel.handler(received::add);
        channel.closeHandler(closed::set);
    }

    /** Opens a session channel for {@code room} on {@code c} and waits for it (10 s at most). */
    static OpenedChannel open(LinkConnection c, String room) throws Exception {
        return c.openChannel(OpenRequest.session("tok", null, "198.51.100.7:5000", room))
                .map(OpenedChannel::new).await(10, TimeUnit.SECONDS);
    }
}

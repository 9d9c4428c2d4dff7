package dev.prism.perf.socket;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Receive case 3: S client sockets send 1200-byte datagrams at a paced total rate (or flat out) to the server side,
 * which is one of:
 * <ul>
 *   <li>{@link Mode#ONE}: one {@link EpollDatagramChannel} on one loop, Netty's defaults as Prism uses them
 *       ({@code recvmsg} per datagram, up to 16 datagrams per read batch);</li>
 *   <li>{@link Mode#REUSEPORT}: two channels bound to the same port with {@code SO_REUSEPORT}, each on its own loop;
 *       the kernel picks the socket by a hash of the 4-tuple, so a client always lands on the same loop;</li>
 *   <li>{@link Mode#RECVMMSG}: one channel with {@code MAX_DATAGRAM_PAYLOAD_SIZE} set and a receive buffer of
 *       {@code batch} slots, so Netty reads with {@code recvmmsg} up to {@code batch} datagrams per call.</li>
 * </ul>
 * The handler counts and releases each datagram; nothing else runs on the loops.
 *
 * @param mode    the server side
 * @param rate    datagrams per second over all clients; 0 = unpaced
 * @param senders S, client sockets (distinct source ports)
 * @param batch   datagrams per {@code recvmmsg} and per read batch ({@code maxMessagesPerRead}) in RECVMMSG mode
 * @param size    datagram size
 */
record ReceiveCase(Mode mode, double rate, int senders, int batch, int size) implements BenchCase {
    /** The server side under test. */
    enum Mode {
        ONE("one channel"), REUSEPORT("SO_REUSEPORT x2 loops"), RECVMMSG("recvmmsg");

        private final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    /** A slot of the recvmmsg buffer: the largest datagram Prism handles (an Ethernet MTU). */
    static final int SLOT = 1500;

    @Override
    public String name() {
        return "recv " + rateLabel() + " " + (mode == Mode.RECVMMSG ? mode.label + " x" + batch : mode.label);
    }

    private String rateLabel() {
        if (rate == 0) {
            return "max";
        }
        return rate % 1000 == 0 ? (long) rate / 1000 + "k/s" : (long) rate + "/s";
    }

    @Override
    public String group() {
        return "receive";
    }

    @Override
    public String baseline() {
        return new ReceiveCase(Mode.ONE, rate, senders, batch, size).name();
    }

    @Override
    public String description() {
        String server = switch (mode) {
            case ONE -> "one channel on one loop (recvmsg)";
            case REUSEPORT -> "two channels on one port (SO_REUSEPORT), one loop each";
            case RECVMMSG -> "one channel, recvmmsg of up to " + batch + " x " + SLOT + " B slots";
        };
        return senders + " clients at " + (rate == 0 ? "their max rate" : (long) rate + " datagrams/s") + " into "
                + server;
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name());
        m.put("senders", senders);
        m.put("targetDatagramsPerSecond", rate == 0 ? "unpaced" : rate);
        m.put("datagramBytes", size);
        if (mode == Mode.RECVMMSG) {
            m.put("maxDatagramPayloadSize", SLOT);
            m.put("datagramsPerRecvmmsg", batch);
        }
        m.put("loops", mode == Mode.REUSEPORT ? 2 : 1);
        return m;
    }

    @Override
    public boolean perReceived() {
        return true;
    }

    @Override
    public Traffic open(ByteBufAllocator alloc) throws Exception {
        return new Run(alloc);
    }

    private final class Run implements Traffic {
        private final EventLoopGroup group;
        private final List<Channel> channels = new ArrayList<>();
        private final List<CountingHandler> handlers = new ArrayList<>();
        private final PacedSenders clients;
        private final List<ProbedThread> loops = new ArrayList<>();
        private ProbedThread sender;

        Run(ByteBufAllocator alloc) throws Exception {
            int n = mode == Mode.REUSEPORT ? 2 : 1;
            group = Loops.epoll(n, "sb-recv");
            PacedSenders s = null;
            try {
                int port = 0;
                for (int i = 0; i < n; i++) {
                    CountingHandler h = new CountingHandler(size);
                    Bootstrap b = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                            .option(ChannelOption.SO_RCVBUF, 4 << 20)
                            .option(ChannelOption.ALLOCATOR, alloc)
                            .handler(h);
                    if (mode == Mode.REUSEPORT) {
                        b.option(EpollChannelOption.SO_REUSEPORT, true);
                    }
                    if (mode == Mode.RECVMMSG) {
                        // A receive buffer of `batch` slots: Netty reads with recvmmsg when it holds more than one.
                        // Setting an allocator replaces the channel's default of 16 messages per read: set it back.
                        MaxMessagesRecvByteBufAllocator rb = new FixedRecvByteBufAllocator(SLOT * batch);
                        rb.maxMessagesPerRead(batch);
                        b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, SLOT)
                                .option(ChannelOption.RCVBUF_ALLOCATOR, rb);
                    }
                    // Registration takes the group's loops in turn: with SO_REUSEPORT each channel has its own.
                    Channel c = b.bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
                    port = ((InetSocketAddress) c.localAddress()).getPort();
                    channels.add(c);
                    handlers.add(h);
                }
                s = new PacedSenders(senders, new InetSocketAddress("127.0.0.1", port), size, rate);
            } catch (Exception | Error e) {
                closeChannels();
                Loops.shutdown(group);
                throw e;
            }
            clients = s;
        }

        @Override
        public void start(Window w) throws Exception {
            for (Channel c : channels) {
                loops.add(Loops.probe(c.eventLoop()));
            }
            sender = clients.start(w);
        }

        @Override
        public List<ProbedThread> loops() {
            return loops;
        }

        @Override
        public List<ProbedThread> peers() {
            return List.of(sender);
        }

        @Override
        public long sent() {
            return clients.sent();
        }

        @Override
        public long received() {
            long sum = 0;
            for (CountingHandler h : handlers) {
                sum += h.datagrams();
            }
            return sum;
        }

        @Override
        public long readCompletes() {
            long sum = 0;
            for (CountingHandler h : handlers) {
                sum += h.readCompletes();
            }
            return sum;
        }

        @Override
        public long[] receivedPerLoop() {
            if (handlers.size() < 2) {
                return null;
            }
            long[] r = new long[handlers.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = handlers.get(i).datagrams();
            }
            return r;
        }

        @Override
        public long errors() {
            long sum = clients.errors();
            for (CountingHandler h : handlers) {
                sum += h.errors();
            }
            return sum;
        }

        @Override
        public long wrongSize() {
            long sum = 0;
            for (CountingHandler h : handlers) {
                sum += h.wrongSize();
            }
            return sum;
        }

        @Override
        public void close() throws Exception {
            try {
                clients.close();
            } finally {
                closeChannels();
                Loops.shutdown(group);
            }
        }

        private void closeChannels() {
            for (Channel c : channels) {
                c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }
}

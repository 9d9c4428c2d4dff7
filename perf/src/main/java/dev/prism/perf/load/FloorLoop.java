package dev.prism.perf.load;

import dev.prism.perf.media.SyntheticRtp;
import dev.prism.srtp.SrtpKeyingMaterial;
import dev.prism.srtp.SrtpProfile;
import dev.prism.srtp.SrtpSession;
import dev.prism.srtp.SrtpStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The floor a forwarder is measured against: the same kind of packets (the same synthetic VP8 and Opus mix, the same
 * number of publishers and receivers) pushed through a bare loop that does only what forwarding cannot avoid:
 * copy the datagram into a heap buffer, SRTP-unprotect it once, then for each receiver copy it, set its SSRC,
 * SRTP-protect it with that receiver's keys and send it to a UDP socket on this machine. No parsing, routing,
 * rewriting, pacing or feedback; one thread, one datagram per send call, as fast as it goes.
 *
 * <p>The receivers' sockets are drained by another thread, which is not counted (the SFU's subscribers are not part
 * of its CPU either). The loop's own thread CPU time is the measure; a warm-up pass with other sessions comes first.
 */
final class FloorLoop {
    /** @param cpuNanos CPU time of the loop thread over the timed pass */
    record Result(long incoming, long forwarded, long cpuNanos, long wallNanos) {
        double cpuNanosPerForward() {
            return forwarded == 0 ? Double.NaN : (double) cpuNanos / forwarded;
        }

        double wallNanosPerForward() {
            return forwarded == 0 ? Double.NaN : (double) wallNanos / forwarded;
        }
    }

    private static final int WARMUP_INCOMING = 20_000;

    private final MediaProfile media;
    private final int publishers;
    private final int receivers;
    private final SrtpProfile profile;
    private final String address;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    FloorLoop(MediaProfile media, int publishers, int receivers, SrtpProfile profile, String address) {
        this.media = media;
        this.publishers = publishers;
        this.receivers = receivers;
        this.profile = profile;
        this.address = address;
    }

    /** Runs a warm-up pass, then forwards {@code incoming} packets to every receiver and returns the timed pass. */
    Result run(int incoming) throws IOException, InterruptedException {
        List<DatagramChannel> sinks = new ArrayList<>();
        List<InetSocketAddress> sinkAddresses = new ArrayList<>();
        Selector selector = Selector.open();
        for (int i = 0; i < receivers; i++) {
            DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress(address, 0));
            c.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            c.configureBlocking(false);
            c.register(selector, SelectionKey.OP_READ);
            sinks.add(c);
            sinkAddresses.add((InetSocketAddress) c.getLocalAddress());
        }
        Thread drain = new Thread(() -> drain(selector), "floor-sinks");
        drain.setDaemon(true);
        drain.start();
        try (DatagramChannel out = DatagramChannel.open()) {
            out.bind(new InetSocketAddress(address, 0));
            out.setOption(StandardSocketOptions.SO_SNDBUF, 1 << 20);
            pass(out, sinkAddresses, Math.min(incoming, WARMUP_INCOMING), 1);
            return pass(out, sinkAddresses, incoming, 2);
        } finally {
            drain.interrupt();
            selector.wakeup();
            drain.join(2000);
            for (DatagramChannel c : sinks) {
                c.close();
            }
            selector.close();
        }
    }

    private Result pass(DatagramChannel out, List<InetSocketAddress> to, int incoming, long seed) throws IOException {
        Random keysRandom = new Random(seed);
        SrtpSession[] browsers = new SrtpSession[publishers];
        SrtpSession[] inbound = new SrtpSession[publishers];
        for (int p = 0; p < publishers; p++) {
            SrtpKeyingMaterial k = keys(keysRandom);
            browsers[p] = SrtpSession.create(profile, k, false);
            inbound[p] = SrtpSession.create(profile, k, true);
        }
        SrtpSession[] outbound = new SrtpSession[receivers];
        for (int r = 0; r < receivers; r++) {
            outbound[r] = SrtpSession.create(profile, keys(keysRandom), true);
        }
        List<byte[]> wire = new ArrayList<>(incoming);
        List<Integer> from = new ArrayList<>(incoming);
        encryptedPackets(browsers, incoming, wire, from);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ByteBuffer send = ByteBuffer.allocateDirect(2048);
        long forwarded = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < wire.size(); i++) {
            byte[] datagram = wire.get(i);
            ByteBuf in = alloc.heapBuffer(datagram.length);
            try {
                in.writeBytes(datagram);
                if (inbound[from.get(i)].unprotectRtp(in) != SrtpStatus.OK) {
                    throw new IllegalStateException("floor: unprotect failed");
                }
                int len = in.readableBytes();
                for (int r = 0; r < receivers; r++) {
                    ByteBuf copy = alloc.heapBuffer(len + SrtpSession.MAX_TRAILER);
                    try {
                        copy.writeBytes(in, in.readerIndex(), len);
                        copy.setInt(8, copy.getInt(8) ^ (r + 1)); // this receiver's SSRC for the stream
                        if (outbound[r].protectRtp(copy) != SrtpStatus.OK) {
                            throw new IllegalStateException("floor: protect failed");
                        }
                        send.clear();
                        copy.getBytes(copy.readerIndex(), send.limit(copy.readableBytes()));
                        send.flip();
                        out.send(send, to.get(r));
                        forwarded++;
                    } finally {
                        copy.release();
                    }
                }
            } finally {
                in.release();
            }
        }
        long wall = System.nanoTime() - wall0;
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        for (SrtpSession s : browsers) {
            s.close();
        }
        for (SrtpSession s : inbound) {
            s.close();
        }
        for (SrtpSession s : outbound) {
            s.close();
        }
        return new Result(wire.size(), forwarded, cpu, wall);
    }

    /** The publishers' media in send order (round-robin per 20 ms tick), encrypted as their browsers would. */
    private void encryptedPackets(SrtpSession[] browsers, int incoming, List<byte[]> wire, List<Integer> from) {
        MediaSource[] sources = new MediaSource[publishers];
        for (int p = 0; p < publishers; p++) {
            sources[p] = new MediaSource(media, 0x1000 + 2L * p, 0x1001 + 2L * p, ClientSdp.OPUS_PT,
                    ClientSdp.VP8_PT,
                    new SyntheticRtp.ExtensionIds(ClientSdp.EXT_ABS_SEND_TIME, ClientSdp.EXT_TRANSPORT_CC,
                            ClientSdp.EXT_AUDIO_LEVEL),
                    new SyntheticRtp.ExtensionIds(ClientSdp.EXT_ABS_SEND_TIME, ClientSdp.EXT_TRANSPORT_CC, 0),
                    2 * p, p);
        }
        List<ByteBuf> frame = new ArrayList<>();
        double framesPerTick = media.fps() * MediaProfile.AUDIO_PTIME_MILLIS / 1000.0;
        double frameCredit = 0;
        while (wire.size() < incoming) {
            frameCredit += framesPerTick;
            for (int p = 0; p < publishers && wire.size() < incoming; p++) {
                frame.add(sources[p].nextAudioPacket(alloc, System.nanoTime()));
                for (double c = frameCredit; c >= 1; c--) {
                    sources[p].nextVideoFrame(alloc, System.nanoTime(), frame);
                }
                for (ByteBuf b : frame) {
                    if (wire.size() < incoming && browsers[p].protectRtp(b) == SrtpStatus.OK) {
                        byte[] bytes = new byte[b.readableBytes()];
                        b.getBytes(b.readerIndex(), bytes);
                        wire.add(bytes);
                        from.add(p);
                    }
                    b.release();
                }
                frame.clear();
            }
            frameCredit -= Math.floor(frameCredit);
        }
    }

    private SrtpKeyingMaterial keys(Random random) {
        byte[] m = new byte[profile.keyingMaterialLength()];
        random.nextBytes(m);
        return SrtpKeyingMaterial.fromExporterOutput(profile, m);
    }

    private static void drain(Selector selector) {
        ByteBuffer b = ByteBuffer.allocateDirect(2048);
        try {
            while (!Thread.currentThread().isInterrupted()) {
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    DatagramChannel c = (DatagramChannel) k.channel();
                    b.clear();
                    while (c.receive(b) != null) {
                        b.clear();
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closed at the end of the run
        }
    }
}

package dev.prism.perf.attack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections that hold the HTTP port without finishing a request: idle ones that send nothing and slowloris ones
 * that trickle one header line every two seconds. Reports how long the node keeps them (bounded wait).
 */
final class HttpHolds {
    private HttpHolds() {
    }

    static Attack idle(int connections, int maxSeconds) {
        return hold("idle-http", connections, maxSeconds, false);
    }

    static Attack slowloris(int connections, int maxSeconds) {
        return hold("slowloris", connections, maxSeconds, true);
    }

    private static Attack hold(String name, int connections, int maxSeconds, boolean trickle) {
        return new Attack() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String run(Node node) throws IOException {
                List<SocketChannel> open = new ArrayList<>();
                try (Selector selector = Selector.open()) {
                    for (int i = 0; i < connections; i++) {
                        SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", node.httpPort()));
                        if (trickle) {
                            ch.write(ascii("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
                        }
                        ch.configureBlocking(false);
                        ch.register(selector, SelectionKey.OP_READ);
                        open.add(ch);
                    }
                    long start = System.nanoTime();
                    long lastTrickle = start;
                    int stillOpen = connections;
                    StringBuilder marks = new StringBuilder();
                    int nextMark = 5;
                    ByteBuffer sink = ByteBuffer.allocate(4096);
                    while (stillOpen > 0 && System.nanoTime() - start < maxSeconds * 1_000_000_000L) {
                        selector.select(200);
                        for (SelectionKey k : selector.selectedKeys()) {
                            SocketChannel ch = (SocketChannel) k.channel();
                            sink.clear();
                            int n;
                            try {
                                n = ch.read(sink);
                            } catch (IOException e) {
                                n = -1;
                            }
                            if (n < 0) {
                                k.cancel();
                                ch.close();
                                stillOpen--;
                            }
                        }
                        selector.selectedKeys().clear();
                        if (trickle && System.nanoTime() - lastTrickle > 2_000_000_000L) {
                            lastTrickle = System.nanoTime();
                            for (SocketChannel ch : open) {
                                if (ch.isOpen()) {
                                    try {
                                        ch.write(ascii("X-Slow: 1\r\n"));
                                    } catch (IOException e) {
                                        // closed by the node: the read side sees it
                                    }
                                }
                            }
                        }
                        double t = (System.nanoTime() - start) / 1e9;
                        if (t >= nextMark) {
                            marks.append(String.format("%d open at %d s; ", stillOpen, nextMark));
                            nextMark *= 2;
                        }
                    }
                    double held = (System.nanoTime() - start) / 1e9;
                    return stillOpen == 0
                            ? String.format("%d connections, all closed by the node after %.1f s (%s)", connections,
                                    held, marks)
                            : String.format("%d connections, %d still open after %.0f s (%s)", connections,
                                    stillOpen, held, marks);
                } finally {
                    for (SocketChannel ch : open) {
                        ch.close();
                    }
                }
            }
        };
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}

package dev.prism.server.capture;

import dev.prism.core.config.PrismConfig;
import dev.prism.core.rtp.HeaderExtension;
import dev.prism.core.rtp.MediaDescription;
import dev.prism.core.rtp.MediaKind;
import dev.prism.core.rtp.RtpEncoding;
import dev.prism.core.rtp.VideoCodec;
import dev.prism.rtp.packet.RtpPacket;
import dev.prism.rtp.router.RoomRouter;
import dev.prism.rtp.router.downlink.Consumer;
import dev.prism.rtp.router.downlink.SubscriberEndpoint;
import dev.prism.rtp.router.uplink.Producer;
import dev.prism.rtp.router.uplink.PublisherEndpoint;
import dev.prism.rtp.transport.MediaEngine;
import dev.prism.rtp.transport.TransportListener;
import dev.prism.rtp.transport.WebRtcTransport;
import dev.prism.server.PrismServer;
import dev.prism.server.browser.ChromeBrowser;
import dev.prism.signaling.sdp.LocalTransportInfo;
import dev.prism.signaling.sdp.PublishNegotiation;
import dev.prism.signaling.sdp.PublishNegotiator;
import dev.prism.signaling.sdp.SubscriberAnswer;
import dev.prism.signaling.sdp.SubscriberAnswerReader;
import dev.prism.signaling.sdp.SubscriberOfferWriter;
import dev.prism.signaling.sdp.SubscriberTrackLine;
import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the first decrypted RTP and RTCP packets a real Chromium sends to Prism, for the parser test fixtures of
 * sfu-rtp (see sfu-rtp/src/test/resources/captures/CAPTURED.md). A tool, not a test: run it by hand, with
 * {@code tools/packet-capture/run.sh [out.txt] [seconds]} or:
 *
 * <pre>{@code
 * mvn -o -q -pl prism-server -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/prism-test-cp.txt -Dmdep.includeScope=test
 * cd prism-server && java -cp target/test-classes:target/classes:$(cat /tmp/prism-test-cp.txt) \
 *     dev.prism.server.capture.PacketCapture [out.txt] [seconds] [vp8|h264]
 * }</pre>
 * Needs Debian's chromium and chromium-driver, like the browser tests; takes about 20 s.
 *
 * <p>How: a Prism node is started in this JVM (loopback HTTP, media on this machine's own address) and only its media
 * engine and the origin of its demo page are used: no signaling session is involved. One headless Chromium opens the
 * demo page (a secure context on 127.0.0.1, so getUserMedia works with the fake camera and microphone) and, from
 * scripts run by this tool, builds two peer connections of its own:
 * <ol>
 *   <li>a publisher connection: its offer is answered with {@link PublishNegotiator} on a transport created here,
 *       whose listener is the production {@link PublisherEndpoint} behind a recording decorator;</li>
 *   <li>a subscriber connection: the published tracks are forwarded back to the same browser through the production
 *       {@link RoomRouter}, offered with {@link SubscriberOfferWriter} and answered by the browser; its listener is the
 *       production {@link SubscriberEndpoint} behind the same kind of decorator, so the receiver feedback
 *       Chromium sends (RR, REMB, PLI, NACK) is recorded.</li>
 * </ol>
 * The decorator sees each packet exactly as {@link TransportListener} lends it: decrypted, before Prism routes it. To
 * provoke NACKs it withholds a few video packets (not RTX) from the router, so the subscriber sees sequence gaps; this
 * is the only thing it changes. No production code is hooked or modified.
 *
 * <p>Output: the annotated hex of at most {@link CapturedPackets#PER_KIND} packets of every kind seen, plus the
 * browser version and both offers, in the given file (default {@code target/capture/chromium-packets.txt}).
 */
public final class PacketCapture {
    /** Every this many video packets one is withheld from the router, at most 3 times. */
    private static final int WITHHOLD_EVERY = 150;
    private static final int WITHHOLD_MAX = 3;

    private final CapturedPackets captured = new CapturedPackets();
    private final Map<Integer, String> ptNames = new HashMap<>();
    private MediaEngine media;
    private RoomRouter router;
    private int videoPackets;
    private volatile int withheld;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/capture/chromium-packets.txt");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        VideoCodec codec = args.length > 2 ? VideoCodec.fromWire(args[2]) : VideoCodec.VP8;
        if (codec == null) {
            throw new IllegalArgumentException("codec must be vp8 or h264: " + args[2]);
        }
        new PacketCapture().run(out, seconds, codec);
        System.exit(0); // Selenium and Vert.x leave non-daemon threads behind
    }

    private void run(Path out, int seconds, VideoCodec codec) throws Exception {
        PrismConfig config = PrismConfig.builder().httpHost("127.0.0.1").httpPort(0).udpPort(0).build();
        try (PrismServer server = PrismServer.start(config);
             ChromeBrowser browser = ChromeBrowser.launch("capture")) {
            media = server.media().engines().get(0);
            router = onLoop(() -> new RoomRouter("capture", media));
            browser.open("http://127.0.0.1:" + server.httpPort() + "/");

            String offer = (String) browser.asyncJs(PUBLISH_OFFER_JS);
            check(offer);
            readPayloadTypes(offer);
            PublisherEndpoint publisher = onLoop(() -> new PublisherEndpoint(media.counters(), router.rtcp(),
                    (t, reason) -> { }));
            WebRtcTransport pubTransport = onLoop(() -> {
                WebRtcTransport t = media.createTransport("capture/pub", new Recorder("pub", publisher, true));
                publisher.bind(t);
                return t;
            });
            PublishNegotiation n = PublishNegotiator.answer(offer, localInfo(pubTransport), codec);
            List<MediaDescription> accepted = n.accepted();
            onLoop(() -> {
                pubTransport.setRemoteParameters(n.remoteIce(), n.remoteFingerprint(), n.remoteSetup());
                for (MediaDescription d : accepted) {
                    RtpEncoding e = d.encodings().get(0);
                    router.addProducer(d.mid(), "capture", d, e.ssrc(), e.rtxSsrc(), publisher);
                }
                return null;
            });
            check((String) browser.asyncJs(SET_ANSWER_JS, "capturePub", n.answerSdp()));

            SubscriberEndpoint subscriber = onLoop(() -> new SubscriberEndpoint((t, reason) -> { }, media.counters(), router.rtcp()));
            WebRtcTransport subTransport = onLoop(() -> {
                WebRtcTransport t = media.createTransport("capture/sub", new Recorder("sub", subscriber, false));
                subscriber.bind(t);
                return t;
            });
            List<SubscriberTrackLine> lines = new ArrayList<>();
            List<Consumer> consumers = onLoop(() -> {
                List<Consumer> list = new ArrayList<>();
                long ssrc = 0x50524900L; // "PRI\0": easy to spot in the dumps
                for (MediaDescription d : accepted) {
                    boolean audio = d.kind() == MediaKind.AUDIO;
                    ssrc++;
                    list.add(router.subscribe(d.mid(), subscriber, ssrc,
                            audio ? SubscriberOfferWriter.OPUS_PT : SubscriberOfferWriter.VP8_PT,
                            List.of(audio
                                    ? new HeaderExtension(SubscriberOfferWriter.EXT_AUDIO_LEVEL_ID,
                                    HeaderExtension.AUDIO_LEVEL)
                                    : new HeaderExtension(SubscriberOfferWriter.EXT_ABS_SEND_TIME_ID,
                                    HeaderExtension.ABS_SEND_TIME))));
                    lines.add(SubscriberTrackLine.active(d.mid(), d.kind(), ssrc, 0, "capture", "echo" + d.mid()));
                }
                return list;
            });
            String subOffer = SubscriberOfferWriter.offer(lines, localInfo(subTransport), 1, codec);
            String answer = (String) browser.asyncJs(SUBSCRIBE_JS, subOffer);
            check(answer);
            SubscriberAnswer a = SubscriberAnswerReader.read(answer, lines, codec);
            onLoop(() -> {
                subTransport.setRemoteParameters(a.remoteIce(), a.remoteFingerprint(), a.remoteSetup());
                for (int i = 0; i < consumers.size(); i++) {
                    MediaDescription d = a.acceptedByMid().get(lines.get(i).mid());
                    if (consumers.get(i) != null && d != null) {
                        consumers.get(i).setExtensions(d.extensions());
                    }
                }
                return null;
            });

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(250); // a tool, not a test: plain waiting is fine here
            }
            String header = "# Chromium " + browser.browserVersion() + ", captured by " + PacketCapture.class.getName()
                    + "\n# kinds: " + captured.kinds() + "\n# withheld video packets: " + withheld
                    + "\n\n## publisher offer\n" + offer + "\n## publisher answer (Prism)\n" + n.answerSdp()
                    + "\n## subscriber offer (Prism)\n" + subOffer + "\n## subscriber answer\n" + answer;
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, captured.dump(header));
            System.out.println("wrote " + out.toAbsolutePath() + "\nkinds: " + captured.kinds());
            onLoop(() -> {
                pubTransport.close("capture done");
                subTransport.close("capture done");
                return null;
            });
        }
    }

    /** Records, then hands the packet to the production endpoint (except the few video packets withheld). */
    private final class Recorder implements TransportListener {
        private final String side;
        private final TransportListener delegate;
        private final boolean publisher;

        Recorder(String side, TransportListener delegate, boolean publisher) {
            this.side = side;
            this.delegate = delegate;
            this.publisher = publisher;
        }

        @Override
        public void onConnected(WebRtcTransport t) {
            delegate.onConnected(t);
        }

        @Override
        public void onRtp(WebRtcTransport t, RtpPacket packet) {
            captured.rtp(side, packet, ptNames);
            String name = ptNames.get(packet.payloadType());
            if (publisher && ("VP8".equals(name) || "H264".equals(name))
                    && ++videoPackets % WITHHOLD_EVERY == 0 && withheld < WITHHOLD_MAX) {
                withheld++;
                return;
            }
            delegate.onRtp(t, packet);
        }

        @Override
        public void onRtcp(WebRtcTransport t, ByteBuf compound) {
            captured.rtcp(side, compound);
            delegate.onRtcp(t, compound);
        }

        @Override
        public void onClosed(WebRtcTransport t, String reason) {
            delegate.onClosed(t, reason);
        }
    }

    private static final Pattern RTPMAP = Pattern.compile("a=rtpmap:(\\d+) ([^/\\s]+)/");

    private void readPayloadTypes(String sdp) {
        Matcher m = RTPMAP.matcher(sdp);
        while (m.find()) {
            ptNames.putIfAbsent(Integer.parseInt(m.group(1)), m.group(2));
        }
    }

    private static LocalTransportInfo localInfo(WebRtcTransport t) {
        return new LocalTransportInfo(t.localIceParameters(), t.localFingerprint(), t.localCandidates());
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return media.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
    }

    private static void check(Object scriptResult) {
        if (!(scriptResult instanceof String s) || s.startsWith("ERROR")) {
            throw new IllegalStateException("browser script failed: " + scriptResult);
        }
    }

    /** Camera + microphone, one sendonly transceiver each, offer set locally; returns the offer. */
    private static final String PUBLISH_OFFER_JS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const media = await navigator.mediaDevices.getUserMedia(
                  { audio: true, video: { width: 640, height: 480 } });
              const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
              window.capturePub = pc;
              for (const track of media.getTracks()) {
                pc.addTransceiver(track, { direction: 'sendonly', streams: [media] });
              }
              await pc.setLocalDescription(await pc.createOffer());
              done(pc.localDescription.sdp);
            })().catch(e => done('ERROR ' + e));
            """;

    /** Sets arguments[1] as the answer of window[arguments[0]]. */
    private static final String SET_ANSWER_JS = """
            const done = arguments[arguments.length - 1];
            window[arguments[0]].setRemoteDescription({ type: 'answer', sdp: arguments[1] })
              .then(() => done('ok'), e => done('ERROR ' + e));
            """;

    /** A receiving connection for Prism's offer; plays what arrives (so it is decoded); returns the answer. */
    private static final String SUBSCRIBE_JS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
              window.captureSub = pc;
              pc.ontrack = e => {
                const el = document.createElement(e.track.kind);
                el.autoplay = true; el.muted = true; el.srcObject = new MediaStream([e.track]);
                document.body.appendChild(el);
              };
              await pc.setRemoteDescription({ type: 'offer', sdp: arguments[0] });
              await pc.setLocalDescription(await pc.createAnswer());
              done(pc.localDescription.sdp);
            })().catch(e => done('ERROR ' + e));
            """;
}

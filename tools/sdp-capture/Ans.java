import dev.prism.core.rtp.*;
import dev.prism.signaling.sdp.*;
import java.nio.file.*;
import java.util.List;
public class Ans {
    public static void main(String[] a) throws Exception {
        LocalTransportInfo local = new LocalTransportInfo(new IceParameters("prsm", "prismIceLitePassword0123"),
            new DtlsFingerprint("sha-256", "3C:4F:8E:2A:91:D0:55:67:AB:CD:EF:01:23:45:67:89:9A:BC:DE:F0:11:22:33:44:55:66:77:88:99:AA:BB:CC"),
            List.of(new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 40000, "host")));
        PublishNegotiation n = PublishNegotiator.answer(Files.readString(Path.of(a[0])), local);
        System.out.print(n.answerSdp());
        System.err.println(n.remoteIce() + " " + n.remoteFingerprint() + " " + n.remoteSetup());
        n.accepted().forEach(System.err::println);
    }
}

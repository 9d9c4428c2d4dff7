import dev.prism.core.rtp.*;
import dev.prism.signaling.sdp.*;
import java.util.List;
public class Gen2 {
    public static void main(String[] a) throws Exception {
        LocalTransportInfo local = new LocalTransportInfo(new IceParameters("prsm", "prismIceLitePassword0123"),
            new DtlsFingerprint("sha-256", "3C:4F:8E:2A:91:D0:55:67:AB:CD:EF:01:23:45:67:89:9A:BC:DE:F0:11:22:33:44:55:66:77:88:99:AA:BB:CC"),
            List.of(new IceCandidate("1", 1, "udp", 2130706431L, "127.0.0.1", 40000, "host")));
        List<SubscriberTrackLine> lines = List.of(
            SubscriberTrackLine.active("0", MediaKind.AUDIO, 11111111L, 0, "alice-1", "alice-1:0"),
            SubscriberTrackLine.inactive("1", MediaKind.VIDEO),
            SubscriberTrackLine.active("2", MediaKind.VIDEO, 44444444L, 55555555L, "bob-2", "bob-2:1"),
            SubscriberTrackLine.active("3", MediaKind.AUDIO, 66666666L, 0, "bob-2", "bob-2:0"));
        System.out.print(SubscriberOfferWriter.offer(lines, local, 2));
    }
}

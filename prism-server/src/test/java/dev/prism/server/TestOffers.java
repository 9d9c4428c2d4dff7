package dev.prism.server;

import java.util.ArrayList;
import java.util.List;

/** Publisher offers built line by line for limit tests: N audio (Opus) sections, optional H.264-only video. */
final class TestOffers {
    private TestOffers() {
    }

    /**
     * @param audioSections   sendonly Opus m-lines, mids 0..N-1, all bundled
     * @param candidates      a=candidate lines in the first section
     * @param h264Video       adds a video m-line offering only H.264 (Prism refuses it)
     */
    static String offer(int audioSections, int candidates, boolean h264Video) {
        List<String> mids = new ArrayList<>();
        StringBuilder media = new StringBuilder();
        for (int i = 0; i < audioSections; i++) {
            mids.add(Integer.toString(i));
            media.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n").append(transport(i))
                    .append("a=rtpmap:111 opus/48000/2\r\n").append("a=ssrc:").append(1000 + i).append(" cname:x\r\n");
            for (int c = 0; i == 0 && c < candidates; c++) {
                media.append("a=candidate:").append(c).append(" 1 udp 2122260223 192.168.0.").append(c % 250 + 1)
                        .append(' ').append(50000 + c).append(" typ host\r\n");
            }
        }
        if (h264Video) {
            int mid = audioSections;
            mids.add(Integer.toString(mid));
            media.append("m=video 9 UDP/TLS/RTP/SAVPF 102\r\n").append(transport(mid))
                    .append("a=rtpmap:102 H264/90000\r\n")
                    .append("a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f\r\n")
                    .append("a=ssrc:2222 cname:x\r\n");
        }
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE " + String.join(" ", mids)
                + "\r\na=msid-semantic: WMS s\r\n" + media;
    }

    private static String transport(int mid) {
        return "c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
                + "a=fingerprint:sha-256 AD:67:04:67:F7:8A:9C:4A:0D:90:C5:11:F8:E9:E1:92:60:6F:3C:7C:BA:F0:A8:4F:EA:C1:"
                + "9E:DD:19:D7:04:46\r\na=setup:actpass\r\na=mid:" + mid + "\r\na=sendonly\r\na=msid:s t" + mid
                + "\r\na=rtcp-mux\r\n";
    }
}

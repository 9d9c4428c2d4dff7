package dev.prism.rtp.stun;

import java.net.InetSocketAddress;

/**
 * STUN messages used by the stun and ice tests, as commented hex: {@link #hex} drops everything after '#' on each line
 * and all whitespace.
 *
 * <p>RFC 5769 vectors are checked against the RFC's own MESSAGE-INTEGRITY and FINGERPRINT values. The Chrome vectors
 * were captured from Chromium 156 (headless, Debian) talking to a hand-written ICE-lite answer with ufrag
 * {@link #CHROME_LOCAL_UFRAG} and password {@link #CHROME_LOCAL_PWD} and a host candidate on this machine; the
 * responder answered with a Binding success response and Chromium went on to DTLS, nominating with USE-CANDIDATE.
 */
public final class StunTestVectors {
    private StunTestVectors() {
    }

    /** Short-term password of RFC 5769 sections 2.1 to 2.3. */
    public static final String RFC5769_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";
    /** Transaction id shared by RFC 5769 sections 2.1 to 2.3. */
    public static final String RFC5769_TID = "b7e7a701bc34d686fa87dfae";
    public static final InetSocketAddress RFC5769_IPV4 = new InetSocketAddress("192.0.2.1", 32853);
    public static final InetSocketAddress RFC5769_IPV6 =
            new InetSocketAddress("2001:db8:1234:5678:11:2233:4455:6677", 32853);

    /** RFC 5769 section 2.1: sample request, short-term credentials. Padding bytes are spaces on purpose. */
    public static final String RFC5769_REQUEST = """
            0001 0058                       # Binding request, length 88
            2112a442                        # magic cookie
            b7e7a701 bc34d686 fa87dfae      # transaction id
            8022 0010                       # SOFTWARE, 16 bytes
            5354554e 20746573 7420636c 69656e74 #   "STUN test client"
            0024 0004                       # PRIORITY
            6e0001ff                        #   0x6e0001ff
            8029 0008                       # ICE-CONTROLLED
            932ff9b1 51263b36               #   tie-breaker
            0006 0009                       # USERNAME, 9 bytes
            6576746a 3a683676 59 202020     #   "evtj:h6vY" + 3 bytes padding (spaces)
            0008 0014                       # MESSAGE-INTEGRITY
            9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2
            8028 0004                       # FINGERPRINT
            e57a3bcf
            """;

    /** RFC 5769 section 2.2: sample IPv4 response, mapped address 192.0.2.1:32853. */
    public static final String RFC5769_RESPONSE_IPV4 = """
            0101 003c                       # Binding success response, length 60
            2112a442                        # magic cookie
            b7e7a701 bc34d686 fa87dfae      # transaction id
            8022 000b                       # SOFTWARE, 11 bytes
            74657374 20766563 746f72 20     #   "test vector" + 1 byte padding (space)
            0020 0008                       # XOR-MAPPED-ADDRESS
            0001 a147                       #   family IPv4, port 32853 ^ 0x2112
            e112a643                        #   192.0.2.1 ^ magic cookie
            0008 0014                       # MESSAGE-INTEGRITY
            2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
            8028 0004                       # FINGERPRINT
            c07d4c96
            """;

    /** RFC 5769 section 2.3: sample IPv6 response, mapped address [2001:db8:1234:5678:11:2233:4455:6677]:32853. */
    public static final String RFC5769_RESPONSE_IPV6 = """
            0101 0048                       # Binding success response, length 72
            2112a442                        # magic cookie
            b7e7a701 bc34d686 fa87dfae      # transaction id
            8022 000b                       # SOFTWARE, 11 bytes
            74657374 20766563 746f72 20     #   "test vector" + 1 byte padding (space)
            0020 0014                       # XOR-MAPPED-ADDRESS, 20 bytes
            0002 a147                       #   family IPv6, port 32853 ^ 0x2112
            0113a9fa a5d3f179 bc25f4b5 bed2b9d9 #   address ^ (magic cookie | transaction id)
            0008 0014                       # MESSAGE-INTEGRITY
            a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41
            8028 0004                       # FINGERPRINT
            c8fb0b4c
            """;

    /** RFC 5769 section 2.4: long-term credentials; the SASLprep-processed password is "TheMatrIX". No FINGERPRINT. */
    public static final String RFC5769_LONG_TERM_REQUEST = """
            0001 0060                       # Binding request, length 96
            2112a442                        # magic cookie
            78ad3433 c6ad72c0 29da412e      # transaction id
            0006 0012                       # USERNAME, 18 bytes
            e3839ee3 8388e383 aae38383 e382afe3 82b9 0000 # "マトリックス" + 2 bytes padding
            0015 001c                       # NONCE, 28 bytes
            662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341 # "f//499k954d6OL34oL9FSTvy64sA"
            0014 000b                       # REALM, 11 bytes
            6578616d 706c652e 6f7267 00     #   "example.org" + 1 byte padding
            0008 0014                       # MESSAGE-INTEGRITY
            f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666
            """;
    public static final String RFC5769_LONG_TERM_USERNAME = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    public static final String RFC5769_LONG_TERM_REALM = "example.org";
    public static final String RFC5769_LONG_TERM_PASSWORD = "TheMatrIX";

    /** Prism side of the Chrome capture: the ufrag and password written in the hand-made answer. */
    public static final String CHROME_LOCAL_UFRAG = "prsm";
    public static final String CHROME_LOCAL_PWD = "prismIceLitePassword0123";
    /** Chrome's own ufrag in the capture (from its offer). */
    public static final String CHROME_REMOTE_UFRAG = "vwqF";
    /** Where Chrome's checks came from. */
    public static final InetSocketAddress CHROME_SOURCE = new InetSocketAddress("192.0.2.2", 45000);
    public static final long CHROME_TIE_BREAKER = 0xbbd6f125797d7979L;
    public static final long CHROME_PRIORITY = 0x6e001effL;

    /** Chromium 156, first Binding request on the pair: not nominating yet. */
    public static final String CHROME_FIRST_CHECK = """
            0001 004c                       # Binding request, length 76
            2112a442                        # magic cookie
            51474866 78414375 5973514d      # transaction id ("QGHfxACuYsQM")
            0006 0009                       # USERNAME, 9 bytes
            7072736d 3a767771 46 000000     #   "prsm:vwqF" (local:remote as Prism sees it) + 3 bytes padding
            c057 0004                       # GOOG-NETWORK-INFO
            0000 03e7                       #   network id 0, network cost 999
            802a 0008                       # ICE-CONTROLLING
            bbd6f125 797d7979               #   tie-breaker
            0024 0004                       # PRIORITY
            6e001eff                        #   prflx type preference 110
            0008 0014                       # MESSAGE-INTEGRITY (key: CHROME_LOCAL_PWD)
            ba7df818 24907f66 fd044356 c777342f af7de554
            8028 0004                       # FINGERPRINT
            93e521f6
            """;

    /** Chromium 156, the nominating Binding request that followed the first success response. */
    public static final String CHROME_NOMINATION = """
            0001 0050                       # Binding request, length 80
            2112a442                        # magic cookie
            44334c32 46397456 74705752      # transaction id ("D3L2F9tVtpWR")
            0006 0009                       # USERNAME, 9 bytes
            7072736d 3a767771 46 000000     #   "prsm:vwqF" + 3 bytes padding
            c057 0004                       # GOOG-NETWORK-INFO
            0000 03e7                       #   network id 0, network cost 999
            802a 0008                       # ICE-CONTROLLING
            bbd6f125 797d7979               #   tie-breaker
            0025 0000                       # USE-CANDIDATE
            0024 0004                       # PRIORITY
            6e001eff
            0008 0014                       # MESSAGE-INTEGRITY (key: CHROME_LOCAL_PWD)
            ddd8cfe8 4483b290 bcbcb06d eaf4d8ac 603faaa3
            8028 0004                       # FINGERPRINT
            258a6b0c
            """;

    /** Decodes commented hex: text after '#' on a line is ignored, as is whitespace. */
    public static byte[] hex(String commented) {
        StringBuilder digits = new StringBuilder();
        for (String line : commented.split("\n")) {
            int hash = line.indexOf('#');
            String data = hash >= 0 ? line.substring(0, hash) : line;
            for (int i = 0; i < data.length(); i++) {
                char c = data.charAt(i);
                if (!Character.isWhitespace(c)) {
                    digits.append(c);
                }
            }
        }
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}

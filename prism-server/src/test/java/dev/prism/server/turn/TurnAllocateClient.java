package dev.prism.server.turn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The smallest TURN client that answers "does this TURN server accept this credential?": one UDP Allocate (RFC 8656)
 * with the long-term credential mechanism (RFC 8489 section 9.2): an unauthenticated Allocate to learn the realm and
 * nonce from the 401, then the Allocate with USERNAME, REALM, NONCE, MESSAGE-INTEGRITY (HMAC-SHA1 keyed with
 * MD5(username:realm:password)) and FINGERPRINT. For tests only: blocking, one request at a time.
 */
public final class TurnAllocateClient {
    private static final int MAGIC = 0x2112A442;
    private static final int ALLOCATE_REQUEST = 0x0003;
    private static final int ALLOCATE_SUCCESS = 0x0103;
    private static final int ALLOCATE_ERROR = 0x0113;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int ERROR_CODE = 0x0009;
    private static final int REALM = 0x0014;
    private static final int NONCE = 0x0015;
    private static final int REQUESTED_TRANSPORT = 0x0019;
    private static final int FINGERPRINT = 0x8028;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How the server answered: 0 = the allocation succeeded, else the STUN error code (401, 438, 486, ...). */
    public record Outcome(int errorCode, String reason) {
        public boolean allocated() {
            return errorCode == 0;
        }
    }

    private TurnAllocateClient() {
    }

    /** Tries to allocate a UDP relay at {@code server} with the given credential. */
    public static Outcome allocate(InetSocketAddress server, String username, String password) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            socket.connect(server);
            Map<Integer, byte[]> challenge = exchange(socket, request(null, null, null, null));
            Outcome first = outcome(challenge);
            if (first.errorCode() != 401 || !challenge.containsKey(REALM) || !challenge.containsKey(NONCE)) {
                throw new IllegalStateException("expected a 401 challenge with realm and nonce, got " + first);
            }
            String realm = new String(challenge.get(REALM), StandardCharsets.UTF_8);
            byte[] nonce = challenge.get(NONCE);
            return outcome(exchange(socket, request(username, realm, nonce, password)));
        }
    }

    private static Outcome outcome(Map<Integer, byte[]> response) {
        int type = ByteBuffer.wrap(response.get(-1)).getShort() & 0xffff;
        if (type == ALLOCATE_SUCCESS) {
            return new Outcome(0, "allocated");
        }
        if (type != ALLOCATE_ERROR || !response.containsKey(ERROR_CODE)) {
            throw new IllegalStateException("not an Allocate response: type 0x" + Integer.toHexString(type));
        }
        byte[] e = response.get(ERROR_CODE);
        int code = (e[2] & 0x7) * 100 + (e[3] & 0xff);
        return new Outcome(code, new String(e, 4, e.length - 4, StandardCharsets.UTF_8));
    }

    /** Sends and reads the response with the same transaction id; attributes by type, key -1 = the header. */
    private static Map<Integer, byte[]> exchange(DatagramSocket socket, byte[] request) throws IOException {
        byte[] txId = Arrays.copyOfRange(request, 8, 20);
        for (int attempt = 0; attempt < 3; attempt++) {
            socket.send(new DatagramPacket(request, request.length));
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue; // UDP: send again
            }
            if (p.getLength() < 20 || !Arrays.equals(Arrays.copyOfRange(buf, 8, 20), txId)) {
                continue;
            }
            return parse(Arrays.copyOf(buf, p.getLength()));
        }
        throw new SocketTimeoutException("no answer from the TURN server");
    }

    private static Map<Integer, byte[]> parse(byte[] msg) {
        Map<Integer, byte[]> attrs = new HashMap<>();
        attrs.put(-1, Arrays.copyOf(msg, 20));
        ByteBuffer b = ByteBuffer.wrap(msg, 20, msg.length - 20);
        while (b.remaining() >= 4) {
            int type = b.getShort() & 0xffff;
            int len = b.getShort() & 0xffff;
            byte[] v = new byte[len];
            b.get(v);
            b.position(b.position() + ((4 - len % 4) % 4));
            attrs.putIfAbsent(type, v);
        }
        return attrs;
    }

    /** An Allocate request for a UDP relay; authenticated when {@code username} is given. */
    private static byte[] request(String username, String realm, byte[] nonce, String password) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(1024);
        byte[] txId = new byte[12];
        RANDOM.nextBytes(txId);
        b.putShort((short) ALLOCATE_REQUEST).putShort((short) 0).putInt(MAGIC).put(txId);
        attribute(b, REQUESTED_TRANSPORT, new byte[] {17, 0, 0, 0});
        if (username != null) {
            attribute(b, USERNAME, username.getBytes(StandardCharsets.UTF_8));
            attribute(b, REALM, realm.getBytes(StandardCharsets.UTF_8));
            attribute(b, NONCE, nonce);
            // The length covers the MESSAGE-INTEGRITY attribute while it is computed (RFC 8489 section 14.5).
            b.putShort(2, (short) (b.position() - 20 + 24));
            byte[] key = MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(b.array(), 0, b.position());
            attribute(b, MESSAGE_INTEGRITY, mac.doFinal());
        }
        b.putShort(2, (short) (b.position() - 20 + 8));
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        attribute(b, FINGERPRINT, ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ 0x5354554e).array());
        return Arrays.copyOf(b.array(), b.position());
    }

    private static void attribute(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) type).putShort((short) value.length).put(value);
        for (int pad = (4 - value.length % 4) % 4; pad > 0; pad--) {
            b.put((byte) 0);
        }
    }
}

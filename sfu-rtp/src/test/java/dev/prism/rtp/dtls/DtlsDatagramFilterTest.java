package dev.prism.rtp.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DtlsDatagramFilterTest {
    private static final String GCM_BODY_24 = "000000000000000100112233445566778899aabbccddeeff"; // nonce 8 + tag 16

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // name | hex | acceptable
        // type  version epoch seq           length  body
        "ClientHello-like epoch 0 record | 16 fefd 0000 000000000000 0002 0102 | true",
        "DTLS 1.0 record version | 16 feff 0000 000000000001 0001 01 | true",
        "protected record, 24-byte body | 15 fefd 0001 000000000001 0018 " + GCM_BODY_24 + " | true",
        "two records in one datagram | 14 fefd 0000 000000000002 0001 01 16 fefd 0001 000000000000 0018 "
            + GCM_BODY_24 + " | true",
        "empty | '' | false",
        "shorter than a record header | 16 fefd 0000 0000000000 | false",
        "unknown content type 25 | 19 fefd 0000 000000000000 0001 01 | false",
        "content type below change_cipher_spec | 13 fefd 0000 000000000000 0001 01 | false",
        "TLS version, not DTLS | 16 0303 0000 000000000000 0001 01 | false",
        // Found by DtlsFuzzTest#connectedServer: bctls ended a connected session on this unauthenticated record.
        "version FEFE, no DTLS version | 14 fefe 0000 010300000000 0001 01 | false",
        "length runs past the datagram | 16 fefd 0000 000000000000 0005 0102 | false",
        "trailing bytes that are no record | 16 fefd 0000 000000000000 0001 01 ffff | false",
        "protected alert too short for nonce and tag | 15 fefd 0001 000000000000 0002 0100 | false",
        "protected record of 23 bytes | 17 fefd 0001 000000000009 0017 0000000000000001112233445566778899aabbccddeeff | false",
    })
    void checksFramingAndProtectedRecordSize(String name, String hex, boolean acceptable) {
        byte[] bytes = HexFormat.of().parseHex(hex.replace(" ", ""));
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            assertThat(DtlsDatagramFilter.isAcceptable(buf)).isEqualTo(acceptable);
        } finally {
            buf.release();
        }
    }
}

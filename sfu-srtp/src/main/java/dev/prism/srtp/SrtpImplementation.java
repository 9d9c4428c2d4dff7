package dev.prism.srtp;

import java.util.Locale;
import java.util.Objects;

/**
 * The SRTP implementations Prism can run, by the name {@code PrismConfig.srtpImplementation()} gives them. Each
 * constant is the factory of its {@link SrtpSession}s. Both pass the same tests: the published known-answer vectors,
 * the session rules, and each other's packets byte for byte in both directions.
 */
public enum SrtpImplementation {
    /**
     * Prism's own ({@link PrismSrtpSession}): AES-CTR and GCM over the JDK's AES intrinsic, GHASH through the JDK's
     * intrinsic ({@code Ghash}), SHA-1 HMAC with no per-packet object; nothing allocated per packet. The default:
     * faster than jitsi-srtp in the benchmarks of {@code perf/README.md}, and no garbage on the media threads.
     */
    PRISM("prism") {
        @Override
        public SrtpSession create(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
            return PrismSrtpSession.create(profile, keys, weAreDtlsServer);
        }

        @Override
        public void prepare() {
            PrismSrtpSession.prepare();
        }
    },
    /**
     * jitsi-srtp ({@link JitsiSrtpSession}), what Jitsi Videobridge ships in production: one crypto context per
     * SSRC over the JDK's ciphers, which allocate per packet.
     */
    JITSI("jitsi") {
        @Override
        public SrtpSession create(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer) {
            return JitsiSrtpSession.create(profile, keys, weAreDtlsServer);
        }

        @Override
        public void prepare() {
            JitsiSrtpSession.prepare();
        }
    };

    /** What runs when the configuration does not say. */
    public static final SrtpImplementation DEFAULT = PRISM;

    private final String configName;

    SrtpImplementation(String configName) {
        this.configName = configName;
    }

    /** The name used in the configuration and on the command line. */
    public String configName() {
        return configName;
    }

    /**
     * The implementation a configuration value names.
     *
     * @throws IllegalArgumentException for any other name; the message lists the valid ones
     */
    public static SrtpImplementation fromConfigName(String name) {
        Objects.requireNonNull(name, "name");
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (SrtpImplementation i : values()) {
            if (i.configName.equals(wanted)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown SRTP implementation '" + name + "', expected one of prism, jitsi");
    }

    /**
     * A session for one transport.
     *
     * @param keys            keys exported by the DTLS handshake for {@code profile}
     * @param weAreDtlsServer true if this side was the DTLS server: it then sends with the server key and salt
     * @throws IllegalArgumentException if the keys were made for another profile
     */
    public abstract SrtpSession create(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer);

    /**
     * Loads the implementation's classes, finds its crypto backends (logging once which one runs) and runs each
     * profile once, so that none of this lands on an event loop. Cheap after the first call; call it at start or on
     * a blocking thread. {@link #create} calls it too.
     */
    public abstract void prepare();

    @Override
    public String toString() {
        return configName;
    }
}

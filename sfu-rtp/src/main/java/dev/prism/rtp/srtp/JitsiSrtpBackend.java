package dev.prism.rtp.srtp;

import java.lang.reflect.Field;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.CipherFactory;
import org.jitsi.srtp.crypto.HmacSha1;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.Logger;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * One-time configuration of jitsi-srtp, done before the first context is created.
 *
 * <ul>
 *   <li>AES: jitsi picks its cipher provider with a micro-benchmark, run on the first packet of each cipher mode
 *       (seconds of stall on whichever thread gets there, an event loop), whose winner flips between runs (OpenSSL
 *       through JNI or the JDK). Prism pins the JDK provider (SunJCE): with the AES/GHASH intrinsics it was as fast or
 *       faster here, and it keeps native OpenSSL off the packet path. The factory name is set through jitsi's API;
 *       the per-mode results are pre-filled into jitsi's private cache so the benchmark never runs.</li>
 *   <li>HMAC-SHA1: jitsi prefers its native OpenSSL HMAC whenever its JNI library loads, and has no switch for it. Its
 *       provider list is a lazily filled private static; Prism fills it first with SunJCE only. If that reflective
 *       step ever fails (a jitsi upgrade renamed the field), SRTP still works, just with jitsi's own choice;
 *       {@link #isJavaHmacPinned()} reports which.</li>
 *   <li>Logging: jitsi's contexts log per packet (a replayed packet is a SEVERE line). Everything they report is
 *       also returned as an {@link SrtpStatus} that the caller counts, so their logger is created with minimum level
 *       OFF (its children inherit it). jitsi's class-level loggers (library loading, provider choice) log through
 *       java.util.logging as usual.</li>
 * </ul>
 *
 * <p>jitsi's GCM receive context probes for its JNI library ({@code JitsiOpenSslProvider}), which extracts and loads
 * it through JNA: about two seconds the first time. The probe is made here, once, so that it happens on whichever
 * thread calls {@link SrtpSession#prepareBackend()} first (the launcher, or the DTLS handshake thread) and not on an
 * event loop. The library may load, but with the above no cipher or MAC used by {@link SrtpSession} comes from it.
 */
final class JitsiSrtpBackend {
    static final Logger LOGGER = new LoggerImpl("dev.prism.rtp.srtp.jitsi", Level.OFF);

    /** The AES modes jitsi-srtp asks {@link Aes#createCipher} for. */
    private static final String[] AES_TRANSFORMATIONS = {"AES/CTR/NoPadding", "AES/ECB/NoPadding", "AES/GCM/NoPadding"};

    private static final boolean JAVA_HMAC_PINNED;
    private static final boolean AES_BENCHMARK_SKIPPED;

    static {
        Aes.setFactoryClassName(Aes.SunJCECipherFactory.class.getName());
        AES_BENCHMARK_SKIPPED = pinJavaAes();
        JAVA_HMAC_PINNED = pinJavaHmac();
        JitsiOpenSslProvider.isLoaded();
    }

    private JitsiSrtpBackend() {
    }

    /** Runs the static configuration above if it has not run yet. */
    static void init() {
        // the static initializer does the work
    }

    static boolean isJavaHmacPinned() {
        return JAVA_HMAC_PINNED;
    }

    static boolean isAesBenchmarkSkipped() {
        return AES_BENCHMARK_SKIPPED;
    }

    @SuppressWarnings("unchecked")
    private static boolean pinJavaAes() {
        try {
            Field cache = Aes.class.getDeclaredField("fastestFactories");
            cache.setAccessible(true);
            CipherFactory sunJce = new Aes.SunJCECipherFactory();
            synchronized (Aes.class) { // Aes.createCipher reads the cache under this lock
                Map<String, CipherFactory> map = (Map<String, CipherFactory>) cache.get(null);
                for (String transformation : AES_TRANSFORMATIONS) {
                    map.putIfAbsent(transformation, sunJce);
                }
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static boolean pinJavaHmac() {
        Provider sunJce = Security.getProvider("SunJCE");
        if (sunJce == null) {
            return false;
        }
        try {
            Field providers = HmacSha1.class.getDeclaredField("providers");
            providers.setAccessible(true);
            synchronized (HmacSha1.class) { // HmacSha1.getProviders is static synchronized
                if (providers.get(null) == null) {
                    List<Provider> list = new ArrayList<>(1);
                    list.add(sunJce);
                    providers.set(null, list);
                }
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** The jitsi policy for RTP and RTCP under {@code profile}; replay protection on in both directions. */
    static SrtpPolicy policy(SrtpProfile profile) {
        SrtpPolicy policy = switch (profile) {
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, profile.masterKeyLength(),
                SrtpPolicy.NULL_AUTHENTICATION, 0, profile.rtpTrailerLength(), profile.masterSaltLength());
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, profile.masterKeyLength(),
                SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, profile.rtpTrailerLength(), profile.masterSaltLength());
        };
        // The sender-side check refuses to protect an index twice: re-encrypting an index with different header
        // bytes would reuse an AES-GCM nonce. Retransmissions must go out as RTX (a new sequence number).
        policy.setSendReplayEnabled(true);
        policy.setReceiveReplayEnabled(true);
        return policy;
    }
}

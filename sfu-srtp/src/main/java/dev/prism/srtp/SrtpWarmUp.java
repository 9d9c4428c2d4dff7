package dev.prism.srtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/** What both implementations do the same way before their first session: key checks and a warm-up. */
final class SrtpWarmUp {
    private SrtpWarmUp() {
    }

    /** Makes one implementation's session (its {@code createPrepared}). */
    interface Maker {
        SrtpSession make(SrtpProfile profile, SrtpKeyingMaterial keys, boolean weAreDtlsServer);
    }

    /** @throws IllegalArgumentException when {@code keys} were exported for another profile */
    static void checkKeys(SrtpProfile profile, SrtpKeyingMaterial keys) {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(keys, "keys");
        if (keys.profile() != profile) {
            throw new IllegalArgumentException("keys are for " + keys.profile() + ", not " + profile);
        }
    }

    /**
     * One protect and unprotect per profile with zero keys, so every class and cipher a first packet needs is loaded
     * (and, for jitsi, its cipher provider chosen) before a call's first packet waits for it.
     */
    static void run(Maker maker) {
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpKeyingMaterial keys =
                SrtpKeyingMaterial.fromExporterOutput(profile, new byte[profile.keyingMaterialLength()]);
            SrtpSession tx = maker.make(profile, keys, false);
            SrtpSession rx = maker.make(profile, keys, true);
            ByteBuf packet = Unpooled.buffer(64 + SrtpSession.MAX_TRAILER);
            try {
                packet.writeByte(0x80).writeByte(96).writeZero(62);
                tx.protectRtp(packet);
                rx.unprotectRtp(packet);
            } finally {
                packet.release();
                tx.close();
                rx.close();
            }
        }
    }
}

package dev.prism.signaling;

import dev.prism.core.config.PrismConfig;

/** The development token endpoint's {@code &audioTopN=} parameter. Pure. */
final class DevTokenAudioTopN {
    private DevTokenAudioTopN() {
    }

    /** @return null when absent, -1 when not a whole number 0..64, else the number */
    static Integer parse(String param) {
        if (param == null) {
            return null;
        }
        if (param.isEmpty() || param.length() > 2 || !param.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int n = Integer.parseInt(param);
        return n <= PrismConfig.MAX_AUDIO_TOP_N ? n : -1;
    }
}

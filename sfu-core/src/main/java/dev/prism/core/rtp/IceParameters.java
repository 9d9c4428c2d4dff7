package dev.prism.core.rtp;

/** ICE username fragment and password of one side ({@code a=ice-ufrag}, {@code a=ice-pwd}). */
public record IceParameters(String ufrag, String pwd) {
}

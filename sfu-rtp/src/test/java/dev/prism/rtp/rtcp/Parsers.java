package dev.prism.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** Every message class's parse entry point, for the table tests that cover them all. */
final class Parsers {
    private Parsers() {
    }

    @FunctionalInterface
    interface Parser {
        RtcpMessage parse(ByteBuf buf, int offset, int length);
    }

    record Named(String name, Parser parser) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Named> ALL = List.of(
            new Named("SenderReport", SenderReport::parse),
            new Named("ReceiverReport", ReceiverReport::parse),
            new Named("Sdes", Sdes::parse),
            new Named("Bye", Bye::parse),
            new Named("GenericNack", GenericNack::parse),
            new Named("TransportCcFeedback", TransportCcFeedback::parse),
            new Named("Pli", Pli::parse),
            new Named("Fir", Fir::parse),
            new Named("Remb", Remb::parse),
            new Named("RtcpCompoundParser.parse", RtcpCompoundParser::parse));
}

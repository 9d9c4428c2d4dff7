package dev.prism.cluster.link;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.Consumer;

/**
 * Splits a byte stream into frames: a Vert.x {@link RecordParser} in fixed-size mode reads the 9-byte header, checks
 * it ({@link FrameCodec#checkHeader}, so an oversize length is refused before any body byte is buffered), then reads
 * exactly the body and decodes it. The first invalid frame goes to the error handler and the reader stops: everything
 * after it is ignored (the caller closes the connection). {@link #stop()} does the same on the caller's demand.
 *
 * <p>Threading: fed by one thread at a time (the connection's event loop); the handlers run inside {@link #handle}.
 */
final class FrameReader implements Handler<Buffer> {
    private final RecordParser parser;
    private final int maxBody;
    private final Handler<LinkFrame> frames;
    private final Consumer<LinkProtocolException> errors;
    private boolean inBody;
    private int type;
    private int channel;
    private boolean stopped;

    FrameReader(int maxBody, Handler<LinkFrame> frames, Consumer<LinkProtocolException> errors) {
        this.maxBody = maxBody;
        this.frames = frames;
        this.errors = errors;
        this.parser = RecordParser.newFixed(FrameCodec.HEADER_BYTES, this::onRecord);
    }

    @Override
    public void handle(Buffer bytes) {
        if (!stopped) {
            parser.handle(bytes);
        }
    }

    /** Ignores all further input. */
    void stop() {
        stopped = true;
    }

    boolean stopped() {
        return stopped;
    }

    private void onRecord(Buffer record) {
        if (stopped) {
            return;
        }
        try {
            if (!inBody) {
                int length = record.getInt(0);
                type = record.getUnsignedByte(4);
                channel = record.getInt(5);
                FrameCodec.checkHeader(type, length, channel, maxBody);
                if (length == 0) {
                    frames.handle(FrameCodec.decodeBody(type, channel, Buffer.buffer(0)));
                } else {
                    inBody = true;
                    parser.fixedSizeMode(length);
                }
            } else {
                inBody = false;
                parser.fixedSizeMode(FrameCodec.HEADER_BYTES);
                frames.handle(FrameCodec.decodeBody(type, channel, record));
            }
        } catch (LinkProtocolException e) {
            stopped = true;
            errors.accept(e);
        }
    }
}

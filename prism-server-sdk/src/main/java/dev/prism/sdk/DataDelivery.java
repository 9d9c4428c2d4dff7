package dev.prism.sdk;

import java.util.List;

/**
 * The answer to {@link PrismApi#sendData}.
 *
 * @param delivered how many participants were sent the message
 * @param unknown   the identities of {@code to} that are not in the room
 */
public record DataDelivery(int delivered, List<String> unknown) {
}

package dev.prism.netem;

/**
 * Which packets a {@link Link} loses at random, before any queue or delay. Immutable configuration; the state a
 * model needs (Gilbert-Elliott's current state) lives in the link.
 */
public sealed interface LossModel {
    /** No random loss. Draws nothing. */
    LossModel NONE = new None();

    /** Loses nothing; draws nothing. */
    record None() implements LossModel {
    }

    /**
     * Loses each packet independently with {@code probability}. One draw per packet: lost when the draw is below it.
     */
    record Bernoulli(double probability) implements LossModel {
        public Bernoulli {
            requireProbability("probability", probability);
        }
    }

    /**
     * Two-state bursty loss (Gilbert-Elliott): in the good state a packet is lost with {@code lossInGood}, in the bad
     * state with {@code lossInBad}; after each packet the state moves good to bad with {@code goodToBad} and bad to
     * good with {@code badToGood}. Two draws per packet, in this order: the loss draw (lost when below the current
     * state's loss probability), then the transition draw (the state changes when below its probability). A link
     * starts in the good state.
     */
    record GilbertElliott(double goodToBad, double badToGood, double lossInGood, double lossInBad)
            implements LossModel {
        public GilbertElliott {
            requireProbability("goodToBad", goodToBad);
            requireProbability("badToGood", badToGood);
            requireProbability("lossInGood", lossInGood);
            requireProbability("lossInBad", lossInBad);
            if (badToGood == 0 && goodToBad > 0) {
                throw new IllegalArgumentException("badToGood 0 would stay bad forever once there");
            }
        }

        /**
         * The simple Gilbert model with an average loss and a mean burst length: every packet in the bad state is
         * lost, none in the good one; a burst lasts {@code meanBurstPackets} on average ({@code badToGood = 1/mean})
         * and the bad state's share of packets is {@code averageLoss}
         * ({@code goodToBad = averageLoss * badToGood / (1 - averageLoss)}).
         */
        public static GilbertElliott bursty(double averageLoss, double meanBurstPackets) {
            if (!(averageLoss >= 0 && averageLoss < 1) || !(meanBurstPackets >= 1)) {
                throw new IllegalArgumentException("average loss in [0, 1) and a mean burst of at least one packet: "
                        + averageLoss + ", " + meanBurstPackets);
            }
            double badToGood = 1 / meanBurstPackets;
            return new GilbertElliott(averageLoss * badToGood / (1 - averageLoss), badToGood, 0, 1);
        }

        /** The long-run share of packets lost: the states' losses weighted by their steady-state shares. */
        public double averageLoss() {
            double bad = goodToBad + badToGood == 0 ? 0 : goodToBad / (goodToBad + badToGood);
            return (1 - bad) * lossInGood + bad * lossInBad;
        }
    }

    private static void requireProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1]: " + p);
        }
    }
}

package dev.prism.perf.attack;

import java.net.http.HttpClient;

/** One hostile behaviour, bounded in count and time. */
interface Attack {
    /** Short name for the table and the JSON. */
    String name();

    /** Runs the attack to its end and says what the node did (for example the close code it chose). */
    String run(Node node) throws Exception;

    /** What an attack needs of the node under test. */
    interface Node {
        HttpClient http();

        int httpPort();

        /** A valid token for {@code identity} in {@code room}: the attacker is a participant. */
        String token(String room, String identity);
    }
}

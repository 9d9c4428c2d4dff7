package dev.prism.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.prism.conference.ConferenceListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ParticipantSession} is the one owner of a participant, local or cluster-proxied (the owner node runs it on
 * the link channel; the edge only relays text). A {@link ConferenceListener} method it does not declare itself would
 * run the interface's default, usually a no-op, and that message would reach nobody: so every method of the interface
 * must be declared by the session. This fails when a feature adds a listener method without telling the client.
 */
class ConferenceListenerCoverageTest {
    @Test
    void theSessionDeclaresEveryConferenceListenerMethod() {
        List<String> inherited = new ArrayList<>();
        Method[] methods = ConferenceListener.class.getMethods();
        for (Method m : methods) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                Method declared = ParticipantSession.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                assertThat(declared.getDeclaringClass()).isEqualTo(ParticipantSession.class);
            } catch (NoSuchMethodException e) {
                inherited.add(m.getName() + Arrays.toString(m.getParameterTypes()));
            }
        }
        assertThat(methods).as("the interface's methods were read").hasSizeGreaterThanOrEqualTo(9);
        assertThat(inherited).as("ConferenceListener methods ParticipantSession leaves to the interface's default")
                .isEmpty();
    }
}

package dev.prism.perf.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
    @Test
    void defaultsAndOverrides() {
        LoadOptions d = LoadOptions.parse(new String[0]);
        assertThat(d.scenario()).isEqualTo("4x10");
        assertThat(d.seconds()).isEqualTo(30);
        assertThat(d.target()).isEqualTo("prism");
        assertThat(d.floor()).isTrue();
        assertThat(d.serverArgs()).isEmpty();
        assertThat(d.clientThreads()).isEqualTo(1);
        assertThat(d.rooms()).isEqualTo(1);
        assertThat(d.warmupSeconds()).isEqualTo(30);

        LoadOptions o = LoadOptions.parse(new String[] {"--scenario", "1x50", "--seconds", "5", "--warmup", "0",
                "--video-kbps", "800", "--fps", "15", "--server-jvm", "-Xmx256m -XX:+UseParallelGC", "--no-floor"});
        assertThat(o.publishers()).isEqualTo(1);
        assertThat(o.subscribers()).isEqualTo(50);
        assertThat(o.media().videoKbps()).isEqualTo(800);
        assertThat(o.media().fps()).isEqualTo(15);
        assertThat(o.serverJvm()).isEqualTo(List.of("-Xmx256m", "-XX:+UseParallelGC"));
        assertThat(o.floor()).isFalse();
    }

    @Test
    void serverArgsArePassedThroughWordByWordAndClientThreadsAreKept() {
        LoadOptions o = LoadOptions.parse(new String[] {"--server-args", " --media-threads 2  --bind 127.0.0.1 ",
                "--client-threads", "2", "--target", "both"});
        assertThat(o.serverArgs()).containsExactly("--media-threads", "2", "--bind", "127.0.0.1");
        assertThat(o.clientThreads()).isEqualTo(2);
        LoadOptions prism = o.withTarget("prism", true);
        assertThat(prism.serverArgs()).isEqualTo(o.serverArgs());
        assertThat(prism.clientThreads()).isEqualTo(2);
        assertThat(LoadOptions.parse(new String[] {"--server-args", ""}).serverArgs()).isEmpty();
    }

    @Test
    void aLargeRoomRunNamesItsSpeakers() {
        LoadOptions o = LoadOptions.parse(new String[] {"--scenario", "50x4", "--speakers", "3", "--server-args",
                "--audio-top-n 3"});
        assertThat(o.publishers()).isEqualTo(50);
        assertThat(o.speakers()).isEqualTo(3);
        assertThat(o.withTarget("prism", false).speakers()).isEqualTo(3);
        assertThat(LoadOptions.parse(new String[0]).speakers()).as("everyone speaks").isEqualTo(-1);
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--scenario", "50x4"}))
                .hasMessageStartingWith("at most 15 publishers");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--scenario", "2x4", "--speakers", "3"}))
                .hasMessageStartingWith("--speakers is at most");
    }

    @Test
    void roomsMultiplyTheScenarioAndNameIt() {
        LoadOptions o = LoadOptions.parse(new String[] {"--rooms", "4", "--scenario", "1x10"});
        assertThat(o.rooms()).isEqualTo(4);
        assertThat(o.scenario()).isEqualTo("4rooms-1x10");
        assertThat(o.withTarget("prism", false).rooms()).isEqualTo(4);
    }

    @Test
    void badOptionsAreRefused() {
        for (String[] args : new String[][] {
                {"--scenario", "4"}, {"--scenario", "0x3"}, {"--seconds", "-1"}, {"--seconds"}, {"--bogus", "1"},
                {"--target", "mediasoup"}, {"--scenario", "16x1"}, {"--scenario", "10x600"}, {"--fps", "x"},
                {"--client-threads", "0"}, {"--client-threads", "65"}, {"--client-threads", "two"},
                {"--server-args"}, {"--target", "janus", "--server-args", "--media-threads 2"},
                {"--rooms", "0"}, {"--rooms", "51", "--scenario", "1x9"}, {"--rooms", "2", "--target", "both"},
                {"--transport", "quic"}, {"--transport", "tcp", "--target", "janus"},
                {"--transport", "both", "--target", "both"}, {"--rounds", "2"}, {"--transport", "udp", "--rounds", "2"},
                {"--transport", "both", "--rounds", "11"}, {"--transport", "both", "--rounds", "0"},
                {"--transport", "both", "--rounds", "10", "--seconds", "200", "--warmup", "30"}}) {
            assertThatThrownBy(() -> LoadOptions.parse(args)).as(String.join(" ", args))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void transportsMakeLegsBothAlternatesAbba() {
        assertThat(LoadOptions.parse(new String[0]).legs()).containsExactly(PeerTransport.UDP);
        assertThat(LoadOptions.parse(new String[] {"--transport", "tcp"}).legs()).containsExactly(PeerTransport.TCP);
        LoadOptions both = LoadOptions.parse(new String[] {"--transport", "both"});
        assertThat(both.rounds()).isEqualTo(2);
        assertThat(both.legs()).containsExactly(PeerTransport.UDP, PeerTransport.TCP, PeerTransport.TCP,
                PeerTransport.UDP);
        assertThat(LoadOptions.parse(new String[] {"--transport", "both", "--rounds", "3"}).legs()).containsExactly(
                PeerTransport.UDP, PeerTransport.TCP, PeerTransport.TCP, PeerTransport.UDP, PeerTransport.UDP,
                PeerTransport.TCP);
        assertThat(both.withTarget("prism", false).legs()).isEqualTo(both.legs());
    }
}

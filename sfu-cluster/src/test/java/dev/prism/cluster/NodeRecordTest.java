package dev.prism.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node's record carries its server API address (for forwarded API calls); an older record without one reads as empty. */
class NodeRecordTest {
    private static final NodeLoad LOAD = new NodeLoad(0.1, 2.0, 3, 1, 1000, 2000);

    @Test
    void theApiAddressRoundTrips() {
        NodeDescriptor d = new NodeDescriptor("link://10.0.0.5:7000", "10.0.0.5", List.of(40000), "1.0",
                "http://10.0.0.5:8080");
        NodeView view = NodeRecord.parse("n1", asMap(NodeRecord.fields(d, NodeState.SERVING, LOAD, 0.2, 7, 1234)));
        assertThat(view.descriptor()).isEqualTo(d);
        assertThat(view.descriptor().apiUrl()).isEqualTo("http://10.0.0.5:8080");
    }

    @Test
    void aRecordWithoutAnApiAddressReadsAsEmpty() {
        NodeDescriptor old = new NodeDescriptor("link://10.0.0.6:7000", "10.0.0.6", List.of(40000), "0.9");
        Map<String, String> f = asMap(NodeRecord.fields(old, NodeState.SERVING, LOAD, 0.2, 7, 1234));
        f.remove(NodeRecord.API); // as an older node writes it
        assertThat(NodeRecord.parse("n2", f).descriptor().apiUrl()).isEmpty();
    }

    private static Map<String, String> asMap(List<String> fieldsAndValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < fieldsAndValues.size(); i += 2) {
            m.put(fieldsAndValues.get(i), fieldsAndValues.get(i + 1));
        }
        return m;
    }
}

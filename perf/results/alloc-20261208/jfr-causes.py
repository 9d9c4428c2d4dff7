#!/usr/bin/env python3
"""Groups JFR jdk.ObjectAllocationSample events by cause (sample counts: each sample is a TLAB refill, so shares
follow bytes). Usage: jfr print --json --stack-depth 24 --events jdk.ObjectAllocationSample rec.jfr | jfr-causes.py"""
import json, sys, collections

def name(f):
    return f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]

# First match wins: (cause, test on the frame names, innermost first).
CAUSES = [
    ("Netty epoll receive: DatagramPacket + sender InetSocketAddress/Inet4Address per datagram",
     lambda n: any("NativeDatagramPacketArray" in x for x in n[:6])),
    ("Netty send: recipient address bytes copied per sendto/sendmmsg",
     lambda n: any("NativeDatagramPacket.init" in x or "ipv4MappedIpv6Address" in x or "Inet4Address.getAddress" in x
                   for x in n[:4])),
    ("Netty Recycler overflow (MPSC chunk per release burst > io.netty.recycler.chunkSize)",
     lambda n: any("Recycler$LocalPool.release" in x for x in n[:8])),
    ("admin/metrics room snapshot (StatsSampler, once a second)",
     lambda n: any("dev.prism.ops.inspect.StatsSampler" in x or "dev.prism.ops.inspect.RoomStats" in x for x in n)),
    ("allocation rounds (DownlinkController.allocate, BitrateAllocator)",
     lambda n: any("DownlinkController.allocate" in x or "BitrateAllocator" in x for x in n)),
    ("transport-cc feedback built for publishers",
     lambda n: any("sendTransportFeedback" in x or "TransportCcFeedbackGenerator" in x for x in n)),
    ("publisher reports (PublisherEndpoint.sendReports) and tick",
     lambda n: any("PublisherEndpoint.sendReports" in x or "PublisherEndpoint.tick" in x for x in n)),
    ("RTCP from participants parsed (receiver reports, ...)",
     lambda n: any("ReportBlock.parse" in x or "ReceiverReport.parse" in x or "onRtcp" in x for x in n[:8])),
    ("STUN / ICE", lambda n: any(".ice." in x or "Stun" in x for x in n[:10])),
    ("subscriber endpoint timers (estimator, sender reports, repair)",
     lambda n: any("SubscriberEndpoint" in x for x in n)),
    ("JFR itself", lambda n: any("jdk.jfr" in x for x in n)),
    ("JMX (the load generator reading the counters)", lambda n: any("javax.management" in x or "sun.rmi" in x or "java.rmi" in x for x in n)),
    ("signaling / HTTP (Vert.x)", lambda n: any("io.vertx" in x for x in n)),
]
events = json.load(sys.stdin)["recording"]["events"]
counts, threads = collections.Counter(), collections.defaultdict(collections.Counter)
for e in events:
    v = e["values"]
    frames = [name(f) for f in ((v.get("stackTrace") or {}).get("frames") or [])]
    cause = next((c for c, test in CAUSES if test(frames)), "other")
    counts[cause] += 1
print(f"samples {len(events)}")
for c, k in counts.most_common():
    print(f"  {100 * k / len(events):5.1f}%  {c}")

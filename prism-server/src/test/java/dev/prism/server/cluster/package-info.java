/**
 * The multi-process test bench of cluster mode (issue #12) and the tests that run on it: {@link
 * dev.prism.server.cluster.ClusterBench} starts a real Redis, several Prism nodes each in its own JVM and a real nginx
 * in front ({@code deploy/nginx/prism.conf}), all on loopback with ports chosen at start, and stops every process by
 * PID on every path; {@link dev.prism.server.cluster.PrismNode} is one node (kill -9, SIGTERM, SIGSTOP/SIGCONT,
 * restart); {@link dev.prism.server.cluster.ChromiumParticipant} is a real browser on the demo page through nginx.
 */
package dev.prism.server.cluster;

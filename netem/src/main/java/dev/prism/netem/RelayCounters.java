package dev.prism.netem;

/**
 * A snapshot of a {@link UdpRelay}'s counters.
 *
 * @param toServer       the path from clients to the server
 * @param toClient       the path from the server back to clients
 * @param clients        client mappings made (one per client address and listener)
 * @param refusedClients datagrams from a new client address refused because the mapping table was full
 * @param sendFailures   released datagrams the kernel did not take (full socket buffer, unreachable)
 */
public record RelayCounters(PathCounters toServer, PathCounters toClient, int clients, long refusedClients,
                            long sendFailures) {
    @Override
    public String toString() {
        return "to server: " + toServer + "; to client: " + toClient + "; " + clients + " client mapping(s)"
                + (refusedClients > 0 ? ", " + refusedClients + " refused" : "")
                + (sendFailures > 0 ? ", " + sendFailures + " send failures" : "");
    }
}

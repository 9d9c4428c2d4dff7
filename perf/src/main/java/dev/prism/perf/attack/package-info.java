/**
 * {@code perf/run attack}: what one participant with a valid token, or anyone who can reach the HTTP port, can do to
 * a Prism node, measured from the outside. A node is started as its own process ({@code PrismTarget}); a bystander
 * pings it over its own signaling socket throughout; each attack runs bounded in count and time; the node's heap after
 * a full GC, the admin snapshot's size and the bystander's ping round trips are read before, during and after.
 *
 * <p>Figures, never assertions: the hardening tests in prism-server prove each behaviour; this tool reports what it
 * costs. Traffic goes to loopback only.
 */
package dev.prism.perf.attack;
